#include "faceocc/gen/occluder.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include <opencv2/imgcodecs.hpp>

namespace faceocc {

namespace fs = std::filesystem;

const char* recolor_name(Recolor r) {
  switch (r) {
    case Recolor::Hair: return "hair";
    case Recolor::Skin: return "skin";
    case Recolor::Cloth: return "cloth";
    default: return "none";
  }
}

static Recolor parse_recolor(const std::string& s) {
  if (s == "none") return Recolor::None;
  if (s == "hair") return Recolor::Hair;
  if (s == "skin") return Recolor::Skin;
  if (s == "cloth") return Recolor::Cloth;
  throw std::runtime_error("recolor must be none, hair, skin or cloth, not '" + s + "'");
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
    if (a.covers != "upper" && a.covers != "lower" && a.covers != "both" && a.covers != "none")
      throw std::runtime_error("covers must be upper, lower, both or none");
    const fs::path img = json_file.parent_path() / j.at("image").get<std::string>();
    a.bgra = cv::imread(img.string(), cv::IMREAD_UNCHANGED);
    if (a.bgra.empty()) throw std::runtime_error("image " + img.string() + " cannot be decoded");
    if (a.bgra.type() != CV_8UC4) throw std::runtime_error("image " + img.string() + " is not 8-bit RGBA");
    for (const auto& an : j.at("anchors")) {
      Anchor x;
      x.landmark = an.at("landmark").get<int>();
      const auto at = an.at("at").get<std::vector<float>>();
      if (x.landmark < 0 || x.landmark > 67 || at.size() != 2) throw std::runtime_error("bad anchor");
      x.at = {at[0], at[1]};
      a.anchors.push_back(x);
    }
    if (a.anchors.size() < 3) throw std::runtime_error("needs at least 3 anchors");
    if (j.contains("scale")) {
      const auto s = j["scale"].get<std::vector<float>>();
      if (s.size() != 2 || s[0] <= 0 || s[1] < s[0]) throw std::runtime_error("scale must be [min, max] > 0");
      a.scale_min = s[0];
      a.scale_max = s[1];
    }
    a.rotation_deg = j.value("rotation_deg", a.rotation_deg);
    a.shift = j.value("shift", a.shift);
    a.recolor = parse_recolor(j.value("recolor", "none"));
    a.origin = j.value("origin", "");
    a.licence = j.value("licence", "");
    return a;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("bad metadata: ") + e.what());
  }
}

OccluderLibrary load_occluders(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": occluder folder not found");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  OccluderLibrary lib;
  for (const fs::path& f : files) {
    try {
      lib.assets.push_back(parse_asset(f));
    } catch (const std::exception& e) {
      lib.rejected.emplace_back(f.string(), e.what());
    }
  }
  std::stable_sort(lib.assets.begin(), lib.assets.end(),
                   [](const OccluderAsset& a, const OccluderAsset& b) { return a.id < b.id; });
  return lib;
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
  j["origin"] = a.origin;
  j["licence"] = a.licence;
  write_atomic(dir / (a.id + ".json"), j.dump(1) + "\n");
}

}  // namespace faceocc
