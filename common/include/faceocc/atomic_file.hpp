// Crash-safe file writes: the bytes go to a temporary name in the same folder,
// which is then renamed over the destination, so a reader (or a resumed run)
// sees the old file or the whole new one, never half of it.
#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace faceocc {

// Fault injection for the kill tests: with FACEOCC_KILL_AT_WRITE=k in the
// environment the process kills itself (SIGKILL: no destructor, no flush) at
// its k-th write point. Every write below has two: its temporary complete but
// not yet renamed, and the rename done. Without the variable: a counter only.
inline void write_point() {
  static const long kill_at = [] {
    const char* e = std::getenv("FACEOCC_KILL_AT_WRITE");
    return e ? std::atol(e) : 0L;
  }();
  static std::atomic<long> n{0};
  if (++n == kill_at && kill_at > 0) ::raise(SIGKILL);
}

// A temporary name beside `dst`, unique per process and thread: tools running
// side by side (and TBB threads meeting two copies of one photo) may write the
// same destination at once.
inline std::filesystem::path temp_name(const std::filesystem::path& dst) {
  return dst.string() + ".tmp" + std::to_string(::getpid()) + "." +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
}

// Renames `from` (a file or a folder) over `to` in one step: the commit of
// every write here. A write point before and after.
inline void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to) {
  write_point();
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) throw std::runtime_error(to.string() + ": cannot move " + from.string() + " into place (" + ec.message() + ")");
  write_point();
}

// Returns false (and leaves `dst` as it was, no temporary behind) when any
// write, the fsync or the close fails: a full disk never renames a short file
// into place. `sync` = false skips the fsync: for bulk outputs (occgen's
// samples, cached crops) that a power cut may cost but a journal or a cache
// check recovers; a kill of the process loses nothing either way.
inline bool write_file_atomic(const std::filesystem::path& dst, const void* data, size_t n, bool sync = true) {
  const std::filesystem::path tmp = temp_name(dst);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const char* p = static_cast<const char*>(data);
  size_t left = n;
  bool ok = true;
  while (ok && left > 0) {
    const ssize_t w = ::write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ok = false;
    else p += w, left -= size_t(w);
  }
  ok = ok && (!sync || ::fsync(fd) == 0);  // the bytes are on disk before the name points at them
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) {
    write_point();
    std::filesystem::rename(tmp, dst, ec);
  }
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return false;
  }
  write_point();
  return true;
}

inline bool write_file_atomic(const std::filesystem::path& dst, const std::string& text) {
  return write_file_atomic(dst, text.data(), text.size());
}

// For the tools' report files, where a failed write ends the run with the file named.
inline void write_text_or_throw(const std::filesystem::path& dst, const std::string& text) {
  if (!write_file_atomic(dst, text)) throw std::runtime_error(dst.string() + ": cannot write");
}

// For writers that only take a path (torch::save, TorchScript, cv::imwrite):
// `fill` writes the temporary, which is then synced and renamed over `dst`.
// Throws std::runtime_error naming `dst` (no temporary left behind) when
// `fill` throws or leaves no file.
inline void write_atomic_via(const std::filesystem::path& dst, const std::function<void(const std::filesystem::path&)>& fill) {
  const std::filesystem::path tmp = temp_name(dst);
  std::error_code ec;
  try {
    fill(tmp);
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced) throw std::runtime_error("the temporary " + tmp.string() + " was not written");
    rename_into_place(tmp, dst);
  } catch (const std::exception& e) {
    std::filesystem::remove(tmp, ec);
    const std::string what = e.what();
    throw std::runtime_error(what.rfind(dst.string(), 0) == 0 ? what : dst.string() + ": cannot write (" + what + ")");
  }
}

// Copies `src` to `dst` through a temporary: `dst` is the old file or the whole copy.
inline void copy_file_atomic(const std::filesystem::path& src, const std::filesystem::path& dst) {
  write_atomic_via(dst, [&](const std::filesystem::path& tmp) {
    std::filesystem::copy_file(src, tmp, std::filesystem::copy_options::overwrite_existing);
  });
}

// A killed writer leaves its temporary ("NAME.tmp<pid>.<thread>") behind, never
// a result: removes those under `dir` (recursively) and returns how many.
inline long remove_temporaries(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  long n = 0;
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), e; !ec && it != e; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto t = name.rfind(".tmp");
    if (t != std::string::npos && t + 4 < name.size() && name.find_first_not_of("0123456789.", t + 4) == std::string::npos)
      found.push_back(it->path());
  }
  for (const auto& f : found) n += fs::remove_all(f, ec) > 0;
  return n;
}

}  // namespace faceocc
