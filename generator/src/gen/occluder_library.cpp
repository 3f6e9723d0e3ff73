#include "faceocc/gen/occluder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/face/image_list.hpp"
#include "faceocc/image_read.hpp"

namespace faceocc {

namespace fs = std::filesystem;

const char* recolor_name(Recolor r) {
  switch (r) {
    case Recolor::Hair: return "hair";
    case Recolor::Skin: return "skin";
    case Recolor::Cloth: return "cloth";
    case Recolor::Texture: return "texture";
    case Recolor::Dye: return "dye";
    case Recolor::SkinTone: return "skin_tone";
    default: return "none";
  }
}

const char* view_name(View v) {
  switch (v) {
    case View::Frontal: return "frontal";
    case View::Left: return "left";
    case View::Right: return "right";
    default: return "any";
  }
}

static Recolor parse_recolor(const std::string& s) {
  if (s == "none") return Recolor::None;
  if (s == "hair") return Recolor::Hair;
  if (s == "skin") return Recolor::Skin;
  if (s == "cloth") return Recolor::Cloth;
  if (s == "texture") return Recolor::Texture;
  if (s == "dye") return Recolor::Dye;
  if (s == "skin_tone") return Recolor::SkinTone;
  throw std::runtime_error("recolor must be none, hair, skin, cloth, texture, dye or skin_tone, not '" + s + "'");
}

static Warp parse_warp(const std::string& s) {
  if (s == "affine") return Warp::Affine;
  if (s == "piecewise") return Warp::Piecewise;
  throw std::runtime_error("warp must be affine or piecewise, not '" + s + "'");
}

static View parse_view(const std::string& s) {
  if (s == "any") return View::Any;
  if (s == "frontal") return View::Frontal;
  if (s == "left") return View::Left;
  if (s == "right") return View::Right;
  throw std::runtime_error("view must be frontal, left, right or any, not '" + s + "'");
}

static OccluderAsset parse_asset(const fs::path& json_file) {
  std::ifstream in(json_file);
  if (!in) throw std::runtime_error("cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not valid JSON: ") + e.what());
  }
  try {
    OccluderAsset a;
    a.id = j.value("id", json_file.stem().string());
    a.category = j.at("category").get<std::string>();
    a.covers = j.value("covers", "none");
    if (a.covers != "upper" && a.covers != "lower" && a.covers != "both" && a.covers != "touch" && a.covers != "none")
      throw std::runtime_error("covers must be upper, lower, both, touch or none");
    const fs::path img = json_file.parent_path() / j.at("image").get<std::string>();
    ImageRead read = read_image(img, cv::IMREAD_UNCHANGED);
    if (!read.problem.empty()) throw std::runtime_error("image " + img.string() + ": " + read.problem);
    a.bgra = std::move(read.image);
    if (a.bgra.type() != CV_8UC4) throw std::runtime_error("image " + img.string() + " is not 8-bit RGBA");
    // Every number is checked here: a non-finite or absurd one used to reach the
    // affine solver (which can spin forever on it) or give draws that never fit.
    // Anchors may lie outside the image (a hand under the chin is anchored to the lips above it; the
    // shipped assets reach 0.78 of the image's longer side out), but not further than twice that side.
    const double side = std::max(a.bgra.cols, a.bgra.rows), w = a.bgra.cols, h = a.bgra.rows;
    for (const auto& an : j.at("anchors")) {
      Anchor x;
      const auto& lm = an.at("landmark");
      if (!lm.is_number_integer() || lm.get<long long>() < 0 || lm.get<long long>() > 67)
        throw std::runtime_error("anchor landmark must be an integer 0..67, got " + lm.dump());
      x.landmark = lm.get<int>();
      const auto at = an.at("at").get<std::vector<double>>();
      if (at.size() != 2) throw std::runtime_error("anchor 'at' must be [x, y]");
      for (double v : at)
        if (!std::isfinite(v)) throw std::runtime_error("anchor 'at' is not a finite number");
      if (at[0] < -2 * side || at[0] > w + 2 * side || at[1] < -2 * side || at[1] > h + 2 * side)
        throw std::runtime_error("anchor at [" + std::to_string(at[0]) + ", " + std::to_string(at[1]) +
                                 "] lies more than twice the image's side outside the image");
      x.at = {float(at[0]), float(at[1])};
      a.anchors.push_back(x);
    }
    if (a.anchors.size() < 3) throw std::runtime_error("needs at least 3 anchors");
    {
      std::vector<cv::Point2f> pts, hull;
      for (const Anchor& x : a.anchors) pts.push_back(x.at);
      cv::convexHull(pts, hull);
      if (hull.size() < 3 || cv::contourArea(hull) < 0.002 * w * h)
        throw std::runtime_error("anchors are (nearly) on one line or one point: no placement can be fitted");
    }
    auto number = [&](const char* key, double lo, double hi, double fallback) {
      if (!j.contains(key)) return fallback;
      const double v = j[key].get<double>();
      if (!std::isfinite(v) || v < lo || v > hi)
        throw std::runtime_error(std::string(key) + " must be a number in [" + std::to_string(lo) + ", " +
                                 std::to_string(hi) + "], got " + j[key].dump());
      return v;
    };
    if (j.contains("scale")) {
      const auto s = j["scale"].get<std::vector<double>>();
      if (s.size() != 2 || !std::isfinite(s[0]) || !std::isfinite(s[1]) || s[0] <= 0 || s[1] < s[0] || s[1] > 10)
        throw std::runtime_error("scale must be [min, max] with 0 < min <= max <= 10");
      a.scale_min = float(s[0]);
      a.scale_max = float(s[1]);
    }
    a.rotation_deg = float(number("rotation_deg", 0, 90, a.rotation_deg));
    a.shift = float(number("shift", 0, 1, a.shift));
    a.recolor = parse_recolor(j.value("recolor", "none"));
    a.warp = parse_warp(j.value("warp", "affine"));
    a.family = j.value("family", "");
    a.view = parse_view(j.value("view", "any"));
    if (a.view != View::Any && a.family.empty()) throw std::runtime_error("a view needs a family");
    if (j.contains("combine")) {
      if (!j["combine"].is_boolean()) throw std::runtime_error("combine must be true or false, got " + j["combine"].dump());
      a.combine = j["combine"].get<bool>();
    }
    if (j.contains("weight")) {
      const auto& w = j["weight"];
      if (!w.is_number_integer() || w.get<long long>() < 1 || w.get<long long>() > 100)
        throw std::runtime_error("weight must be an integer 1..100, got " + w.dump());
      a.weight = w.get<int>();
    }
    a.origin = j.value("origin", "");
    a.licence = j.value("licence", "");
    return a;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("bad metadata: ") + e.what());
  }
}

OccluderLibrary load_occluders(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": occluder folder not found");
  OccluderLibrary lib;
  // Sorted, linked folders followed; an entry that cannot be read is rejected by name.
  const std::vector<fs::path> all = list_files(dir, &lib.rejected);
  std::vector<fs::path> files;
  for (const fs::path& f : all)
    if (f.extension() == ".json" && f.stem().extension() != ".report")
      files.push_back(f);  // "x.report.json": a tool's report beside its assets (occharvest), not an asset
  std::map<std::string, fs::path> ids;
  for (const fs::path& f : files) {
    try {
      OccluderAsset a = parse_asset(f);
      if (auto it = ids.find(a.id); it != ids.end())
        throw std::runtime_error("duplicate id '" + a.id + "' (also " + it->second.string() + ")");
      ids.emplace(a.id, f);
      lib.assets.push_back(std::move(a));
    } catch (const std::exception& e) {
      lib.rejected.emplace_back(f.string(), e.what());
    }
  }
  // A PNG without its JSON is an asset the user meant to add: say so.
  for (const fs::path& f : all)
    if (f.extension() == ".png" && f.parent_path().filename() != "textures" &&
        !fs::exists(f.parent_path() / (f.stem().string() + ".json")))
      lib.rejected.emplace_back(f.string(), "no JSON beside it (see assets/occluders/README.md)");
  // Fabrics for "texture" recolouring: the textures/ folder beside each such asset, read once per folder.
  std::map<fs::path, std::shared_ptr<const std::vector<cv::Mat>>> by_folder;
  auto fabrics_in = [&](const fs::path& folder) {
    if (auto it = by_folder.find(folder); it != by_folder.end()) return it->second;
    std::vector<fs::path> files;
    if (fs::is_directory(folder))
      for (const auto& e : fs::directory_iterator(folder))
        if (e.is_regular_file() && (e.path().extension() == ".jpg" || e.path().extension() == ".png")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    auto set = std::make_shared<std::vector<cv::Mat>>();
    for (const fs::path& f : files) {
      const ImageRead t = read_image(f);
      if (!t.problem.empty()) lib.rejected.emplace_back(f.string(), "texture: " + t.problem);
      else if (t.image.cols < 8 || t.image.rows < 8) lib.rejected.emplace_back(f.string(), "texture is under 8 px");
      else set->push_back(t.image);
    }
    lib.fabrics += int(set->size());
    return by_folder[folder] = set;
  };
  for (auto it = lib.assets.begin(); it != lib.assets.end();) {
    if (it->recolor != Recolor::Texture) { ++it; continue; }
    const fs::path folder = ids.at(it->id).parent_path() / "textures";
    it->fabrics = fabrics_in(folder);
    if (!it->fabrics->empty()) { ++it; continue; }  // nothing to dress it in
    lib.rejected.emplace_back(it->id, "recolor 'texture' needs fabric images in " + folder.string());
    it = lib.assets.erase(it);
  }
  std::stable_sort(lib.assets.begin(), lib.assets.end(),
                   [](const OccluderAsset& a, const OccluderAsset& b) { return a.id < b.id; });
  return lib;
}

void merge_occluders(OccluderLibrary& lib, OccluderLibrary more, const fs::path& more_dir) {
  std::set<std::string> ids;
  for (const auto& a : lib.assets) ids.insert(a.id);
  for (auto& a : more.assets) {
    if (ids.count(a.id)) {
      lib.rejected.emplace_back((more_dir / (a.id + ".json")).string(), "duplicate id '" + a.id + "' (already loaded)");
      continue;
    }
    ids.insert(a.id);
    lib.assets.push_back(std::move(a));
  }
  for (auto& r : more.rejected) lib.rejected.push_back(std::move(r));
  lib.fabrics += more.fabrics;
  std::stable_sort(lib.assets.begin(), lib.assets.end(),
                   [](const OccluderAsset& a, const OccluderAsset& b) { return a.id < b.id; });
}

static void write_atomic(const fs::path& dst, const std::string& bytes) {
  if (!write_file_atomic(dst, bytes)) throw std::runtime_error(dst.string() + ": cannot write");
}

void save_occluder(const OccluderAsset& a, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<uchar> png;
  cv::imencode(".png", a.bgra, png, {cv::IMWRITE_PNG_COMPRESSION, 9});
  write_atomic(dir / (a.id + ".png"), std::string(png.begin(), png.end()));
  nlohmann::ordered_json j;
  j["id"] = a.id;
  j["category"] = a.category;
  j["covers"] = a.covers;
  j["image"] = a.id + ".png";
  j["anchors"] = nlohmann::ordered_json::array();
  for (const Anchor& an : a.anchors) {
    const double x = std::round(double(an.at.x) * 10) / 10, y = std::round(double(an.at.y) * 10) / 10;
    j["anchors"].push_back({{"landmark", an.landmark}, {"at", {x, y}}});
  }
  j["scale"] = {a.scale_min, a.scale_max};
  j["rotation_deg"] = a.rotation_deg;
  j["shift"] = a.shift;
  j["recolor"] = recolor_name(a.recolor);
  if (a.warp == Warp::Piecewise) j["warp"] = "piecewise";
  if (!a.family.empty()) j["family"] = a.family;
  if (a.view != View::Any) j["view"] = view_name(a.view);
  if (a.weight != 1) j["weight"] = a.weight;
  if (!a.combine) j["combine"] = false;
  j["origin"] = a.origin;
  j["licence"] = a.licence;
  write_atomic(dir / (a.id + ".json"), j.dump(1) + "\n");
}

}  // namespace faceocc
