// Catches images that decode "successfully" but are not whole: OpenCV fills the
// missing rows of a truncated JPEG with grey and only warns on stderr, which
// would train on half a photo. Header-only; pure.
//
// Thread safety: pure functions.
#pragma once
#include <algorithm>
#include <cstring>
#include <string>

namespace faceocc {

// Why the file's bytes are not a whole image ("" when they look whole or the
// format is not one this checks): a JPEG without its end-of-image marker, a PNG
// without its IEND chunk.
inline std::string truncated_image_problem(const std::string& b) {
  auto tail_has = [&](const char* marker, size_t n, size_t window) {
    const size_t from = b.size() > window ? b.size() - window : 0;
    return b.find(std::string(marker, n), from) != std::string::npos;
  };
  if (b.size() >= 3 && (unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xD8 && (unsigned char)b[2] == 0xFF)
    return tail_has("\xFF\xD9", 2, 1024) ? "" : "truncated JPEG (no end-of-image marker)";
  if (b.size() >= 8 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0)
    return tail_has("IEND", 4, 64) ? "" : "truncated PNG (no IEND chunk)";
  return "";
}

}  // namespace faceocc
