// Crash-safe file writes: the bytes go to a temporary name in the same folder,
// which is then renamed over the destination, so a reader (or a resumed run)
// sees the old file or the whole new one, never half of it.
#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace faceocc {

// Returns false (and leaves `dst` as it was, no temporary behind) when any
// write, the fsync or the close fails: a full disk never renames a short file
// into place. `sync` = false skips the fsync: for bulk outputs (occgen's
// samples, cached crops) that a power cut may cost but a journal or a cache
// check recovers; a kill of the process loses nothing either way.
inline bool write_file_atomic(const std::filesystem::path& dst, const void* data, size_t n, bool sync = true) {
  // Unique per process and thread: tools running side by side (and TBB threads
  // meeting two copies of one photo) may write the same destination at once.
  const std::filesystem::path tmp = dst.string() + ".tmp" + std::to_string(::getpid()) + "." +
                                    std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
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
  if (ok) std::filesystem::rename(tmp, dst, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

inline bool write_file_atomic(const std::filesystem::path& dst, const std::string& text) {
  return write_file_atomic(dst, text.data(), text.size());
}

// For the tools' report files, where a failed write ends the run with the file named.
inline void write_text_or_throw(const std::filesystem::path& dst, const std::string& text) {
  if (!write_file_atomic(dst, text)) throw std::runtime_error(dst.string() + ": cannot write");
}

}  // namespace faceocc
