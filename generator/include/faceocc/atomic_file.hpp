// Crash-safe file writes: the bytes go to a temporary name in the same folder,
// which is then renamed over the destination, so a reader (or a resumed run)
// sees the old file or the whole new one, never half of it.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace faceocc {

inline bool write_file_atomic(const std::filesystem::path& dst, const void* data, size_t n) {
  // Unique per process and thread: tools running side by side (and TBB threads
  // meeting two copies of one photo) may write the same destination at once.
  const std::filesystem::path tmp = dst.string() + ".tmp" + std::to_string(::getpid()) + "." +
                                    std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return false;
    out.write(static_cast<const char*>(data), std::streamsize(n));
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return false;
    }
  }
  std::filesystem::rename(tmp, dst, ec);
  if (ec) std::filesystem::remove(tmp, ec);
  return !ec;
}

inline bool write_file_atomic(const std::filesystem::path& dst, const std::string& text) {
  return write_file_atomic(dst, text.data(), text.size());
}

// For the tools' report files, where a failed write ends the run with the file named.
inline void write_text_or_throw(const std::filesystem::path& dst, const std::string& text) {
  if (!write_file_atomic(dst, text)) throw std::runtime_error(dst.string() + ": cannot write");
}

}  // namespace faceocc
