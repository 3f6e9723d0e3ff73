// 64-bit FNV-1a over bytes: the cache key of every "keyed by content" cache
// (landmarks, aligned crops, imported weights). Not cryptographic; it only has
// to notice that a file changed.
//
// Thread safety: pure functions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace faceocc {

constexpr uint64_t kFnvBasis = 1469598103934665603ull;

inline uint64_t fnv1a(const void* data, size_t n, uint64_t h = kFnvBasis) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

inline std::string hex16(uint64_t h) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

inline std::string content_key(const std::string& bytes) { return hex16(fnv1a(bytes.data(), bytes.size())); }

}  // namespace faceocc
