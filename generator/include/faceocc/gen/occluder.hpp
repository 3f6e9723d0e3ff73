// The occluder library: RGBA images plus one JSON metadata file each.
//
//   { "id": "hair_fringe_03", "category": "hair", "covers": "upper",
//     "image": "hair_fringe_03.png",
//     "anchors": [ {"landmark": 17, "at": [x, y]}, ... ],   // >= 3, asset pixels
//     "scale": [0.95, 1.08], "rotation_deg": 6, "shift": 0.03,
//     "recolor": "hair" | "skin" | "cloth" | "texture" | "dye" | "skin_tone" | "none",
//     "warp": "affine" | "piecewise",                       // optional, affine
//     "family": "surgical_blue", "view": "frontal" | "left" | "right",  // optional
//     "weight": 1,                          // optional: how often it is drawn against the others of its category, 1..100
//     "combine": true,                      // optional: also used with a second occluder for "both"
//     "origin": "...", "licence": "..." }
//
// Placement fits a least-squares affine map from the anchors' `at` points to
// the face's landmarks (or, for "piecewise", a triangle mesh that puts every
// anchor exactly on its landmark), then jitters scale, rotation and position.
// Assets of one `family` are views of one object: occgen picks the view that
// matches the face's yaw ("left" = nose towards the image's left).
// Images in textures/ beside an asset's JSON are the fabrics for its "texture" recolouring
// (so a library loads the same from its own folder, its parent or --more-occluders); "dye"
// keeps a photographed asset's own colours half the time and otherwise dyes it
// (its own folds and shading kept) in a common mask colour, black most often;
// "skin_tone" moves a photographed hand's colours toward the subject's skin (its
// own shading and veins kept).
// covers "touch": a hand decoy (resting on a cheek, the chin, the forehead): its
// alpha counts like any occluder's, the sample's class is measured; occgen adds
// one to a share of every class (--touch).
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

enum class Recolor { None, Hair, Skin, Cloth, Texture, Dye, SkinTone };
enum class Warp { Affine, Piecewise };
enum class View { Any, Frontal, Left, Right };

struct Anchor {
  int landmark = 0;  // dlib 68 index
  cv::Point2f at;    // asset pixel
};

struct OccluderAsset {
  std::string id, category;
  std::string covers;  // "upper", "lower", "both", "touch" (meant to cover neither region) or "none"
                       // (worn but hiding nothing, e.g. clear glasses: drawn, never counted as
                       // occlusion): what it is meant for
  cv::Mat bgra;        // CV_8UC4
  std::vector<Anchor> anchors;
  float scale_min = 0.95f, scale_max = 1.05f;
  float rotation_deg = 5.0f;
  float shift = 0.03f;  // +- translation jitter, fraction of inter-ocular-to-chin size
  Recolor recolor = Recolor::None;
  Warp warp = Warp::Affine;
  std::string family;      // views of one object share it ("" = none)
  View view = View::Any;
  int weight = 1;          // relative chance of being drawn within its category (a family: its first view's)
  bool combine = true;     // may be paired with an occluder of the other region to make "both"
  std::string origin, licence;
  // "texture" assets: the BGR fabrics in textures/ beside the asset's JSON, sorted by file name
  // (shared by the assets of one folder); null otherwise.
  std::shared_ptr<const std::vector<cv::Mat>> fabrics;
};

struct OccluderLibrary {
  std::vector<OccluderAsset> assets;  // sorted by id
  int fabrics = 0;                     // fabric images loaded (textures/ folders)
  std::vector<std::pair<std::string, std::string>> rejected;  // file, reason
};

// Reads every *.json under `dir` (recursive, linked folders followed, each real folder once)
// except reports (*.report.json), and the fabrics of every textures/ folder beside them.
// A bad file is rejected with a reason naming it; the rest still load. Throws only if `dir`
// is not a folder.
OccluderLibrary load_occluders(const std::filesystem::path& dir);

// Adds `more` (another folder's library) to `lib`: an id already in `lib` is
// rejected with the folder named; assets stay sorted by id.
void merge_occluders(OccluderLibrary& lib, OccluderLibrary more, const std::filesystem::path& more_dir);

// Writes <dir>/<id>.png and <dir>/<id>.json (each via a temporary name).
void save_occluder(const OccluderAsset& a, const std::filesystem::path& dir);

const char* recolor_name(Recolor r);
const char* view_name(View v);

}  // namespace faceocc
