// The occluder library: RGBA images plus one JSON metadata file each.
//
//   { "id": "hair_fringe_03", "category": "hair", "covers": "upper",
//     "image": "hair_fringe_03.png",
//     "anchors": [ {"landmark": 17, "at": [x, y]}, ... ],   // >= 3, asset pixels
//     "scale": [0.95, 1.08], "rotation_deg": 6, "shift": 0.03,
//     "recolor": "hair" | "skin" | "cloth" | "none",
//     "origin": "...", "licence": "..." }
//
// Placement fits a least-squares affine map from the anchors' `at` points to
// the face's landmarks, then jitters scale, rotation and position.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

enum class Recolor { None, Hair, Skin, Cloth };

struct Anchor {
  int landmark = 0;  // dlib 68 index
  cv::Point2f at;    // asset pixel
};

struct OccluderAsset {
  std::string id, category;
  std::string covers;  // "upper", "lower", "both" or "none": what it is meant for
  cv::Mat bgra;        // CV_8UC4
  std::vector<Anchor> anchors;
  float scale_min = 0.95f, scale_max = 1.05f;
  float rotation_deg = 5.0f;
  float shift = 0.03f;  // +- translation jitter, fraction of inter-ocular-to-chin size
  Recolor recolor = Recolor::None;
  std::string origin, licence;
};

struct OccluderLibrary {
  std::vector<OccluderAsset> assets;  // sorted by id
  std::vector<std::pair<std::string, std::string>> rejected;  // file, reason
};

// Reads every *.json under `dir` (recursive). A bad file is rejected with a
// reason naming it; the rest still load. Throws only if `dir` is not a folder.
OccluderLibrary load_occluders(const std::filesystem::path& dir);

// Writes <dir>/<id>.png and <dir>/<id>.json (each via a temporary name).
void save_occluder(const OccluderAsset& a, const std::filesystem::path& dir);

const char* recolor_name(Recolor r);

}  // namespace faceocc
