#include "faceocc/gen/landmark_cache.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "faceocc/atomic_file.hpp"

namespace faceocc {

namespace {

// v2: landmarks and scores written exactly (%.9g), so a run from the cache equals a run that detected.
constexpr const char* kCacheVersion = "faceocc-landmarks v2";

}  // namespace

std::optional<std::vector<DetectedFace>> read_landmark_cache(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string header;
  if (!in || !std::getline(in, header) || header != kCacheVersion) return std::nullopt;
  int n = -1;
  if (!(in >> n) || n < 0 || n > 10000) return std::nullopt;
  std::vector<DetectedFace> faces(static_cast<size_t>(n));
  for (auto& f : faces) {
    if (!(in >> f.score >> f.box.x >> f.box.y >> f.box.width >> f.box.height) || !std::isfinite(f.score)) return std::nullopt;
    for (auto& p : f.points)
      if (!(in >> p.x >> p.y) || !std::isfinite(p.x) || !std::isfinite(p.y)) return std::nullopt;
  }
  return faces;
}

void write_landmark_cache(const std::filesystem::path& file, const std::vector<DetectedFace>& faces) {
  std::ostringstream out;
  out << kCacheVersion << "\n" << faces.size() << "\n";
  char b[128];
  for (const auto& f : faces) {
    std::snprintf(b, sizeof b, "%.17g %d %d %d %d", f.score, f.box.x, f.box.y, f.box.width, f.box.height);
    out << b;
    for (const auto& p : f.points) {
      std::snprintf(b, sizeof b, " %.9g %.9g", p.x, p.y);
      out << b;
    }
    out << "\n";
  }
  const std::string text = out.str();
  write_file_atomic(file, text.data(), text.size(), /*sync=*/false);
}

}  // namespace faceocc
