#include "faceocc/gen/mask_templates.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/gen/rgba_resize.hpp"
#include "faceocc/image_read.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

const char* kOrigin = "MaskTheFace (github.com/aqeelanwar/MaskTheFace, commit caf4d6c), ";
const char* kLicence =
    "MIT, Copyright (c) 2020 Aqeel Anwar (LICENSE.maskthefaces.txt beside this file); the repository does not say "
    "where the photograph was taken";

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// masks.cfg: [section] then "key: value" lines.
std::map<std::string, std::map<std::string, std::string>> read_cfg(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  std::map<std::string, std::map<std::string, std::string>> cfg;
  std::string line, section;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') { section = line.substr(1, line.size() - 2); continue; }
    const auto c = line.find(':');
    if (c == std::string::npos || section.empty()) throw std::runtime_error(file.string() + ": cannot read line '" + line + "'");
    cfg[section][trim(line.substr(0, c))] = trim(line.substr(c + 1));
  }
  return cfg;
}

}  // namespace

ImportedMasks import_maskthefaces(const fs::path& root, int max_width, int texture_side) {
  if (max_width <= 0 || texture_side <= 0) throw std::runtime_error("import_maskthefaces: sizes must be positive");
  const fs::path cfg_file = root / "masks" / "masks.cfg";
  const auto cfg = read_cfg(cfg_file);
  static const char* keys[6] = {"mask_a", "mask_b", "mask_c", "mask_d", "mask_e", "mask_f"};
  static const int landmark[6] = {1, 28, 15, 4, 8, 12};
  ImportedMasks out;
  for (const auto& section : cfg) {
    const std::string& name = section.first;
    const auto& kv = section.second;  // named, not a structured binding: lambdas capture it (C++17)
    auto get = [&](const std::string& k) {
      auto it = kv.find(k);
      if (it == kv.end()) throw std::runtime_error(cfg_file.string() + ": [" + name + "] has no " + k);
      return it->second;
    };
    const fs::path file = root / get("template");
    const ImageRead read = read_image(file, cv::IMREAD_UNCHANGED);
    if (!read.problem.empty()) throw std::runtime_error(file.string() + ": " + read.problem);
    cv::Mat img = read.image;
    if (img.type() != CV_8UC4) throw std::runtime_error(file.string() + ": not an 8-bit RGBA image");
    const double f = std::min(1.0, double(max_width) / img.cols);
    std::string family = name;
    View view = View::Frontal;
    for (auto [suffix, v] : {std::pair{"_left", View::Left}, std::pair{"_right", View::Right}})
      if (const std::string x = suffix; family.size() > x.size() && family.compare(family.size() - x.size(), x.size(), x) == 0) {
        family.resize(family.size() - std::string(suffix).size());
        view = v;
      }
    std::transform(family.begin(), family.end(), family.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (family == "surgical") family = "surgical_white";
    OccluderAsset a;
    a.category = "mask";
    a.covers = "lower";
    a.bgra = f < 1.0 ? resize_rgba(img, f) : img;
    for (int i = 0; i < 6; ++i) {
      std::istringstream s(get(keys[i]));
      double x = 0, y = 0;
      char comma = 0;
      if (!(s >> x >> comma >> y) || comma != ',')
        throw std::runtime_error(cfg_file.string() + ": [" + name + "] " + keys[i] + " is not 'x, y'");
      a.anchors.push_back({landmark[i], cv::Point2f(float(x * f), float(y * f))});
    }
    a.scale_min = 0.95f;
    a.scale_max = 1.08f;
    a.rotation_deg = 4;
    a.shift = 0.03f;
    a.warp = Warp::Piecewise;
    a.view = view;
    a.origin = kOrigin + ("masks/" + fs::relative(file, root / "masks").generic_string()) + ", downscaled " +
               std::to_string(img.cols) + " -> " + std::to_string(a.bgra.cols) + " px wide by occassets";
    a.licence = kLicence;
    auto add = [&](const std::string& fam, Recolor rc) {
      OccluderAsset b = a;
      b.family = "mask_photo_" + fam;
      b.id = b.family + "_" + view_name(view);
      b.recolor = rc;
      out.assets.push_back(std::move(b));
    };
    add(family, family == "gas" ? Recolor::None : Recolor::Dye);  // respirators come in their own colours
    if (family == "cloth") add("cloth_fabric", Recolor::Texture);  // the same mask in printed fabrics
  }
  std::sort(out.assets.begin(), out.assets.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  const fs::path tex = root / "masks" / "textures";
  if (fs::is_directory(tex)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(tex))
      if (e.is_regular_file() && (e.path().extension() == ".png" || e.path().extension() == ".jpg")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
      const ImageRead read = read_image(p);
      if (!read.problem.empty()) throw std::runtime_error(p.string() + ": texture: " + read.problem);
      cv::Mat t = read.image;
      const double f = std::min(1.0, double(texture_side) / std::max(t.cols, t.rows));
      if (f < 1.0) cv::resize(t, t, cv::Size(), f, f, cv::INTER_AREA);
      std::string ext = p.extension().string().substr(1);  // cherry.png and cherry.jpg both exist
      out.textures.emplace_back(p.parent_path().filename().string() + "_" + p.stem().string() + "_" + ext + ".jpg", t);
    }
  }
  return out;
}

void save_imported_masks(const ImportedMasks& m, const fs::path& root, const fs::path& dir) {
  for (const auto& a : m.assets) save_occluder(a, dir);
  fs::create_directories(dir / "textures");
  for (const auto& [name, t] : m.textures) {
    std::vector<uchar> jpg;
    cv::imencode(".jpg", t, jpg, {cv::IMWRITE_JPEG_QUALITY, 90});
    if (!write_file_atomic(dir / "textures" / name, jpg.data(), jpg.size()))
      throw std::runtime_error((dir / "textures" / name).string() + ": cannot write");
  }
  std::ifstream in(root / "LICENSE", std::ios::binary);
  if (!in) throw std::runtime_error((root / "LICENSE").string() + ": cannot open (the MIT licence must travel with the copies)");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!write_file_atomic(dir / "LICENSE.maskthefaces.txt", text))
    throw std::runtime_error((dir / "LICENSE.maskthefaces.txt").string() + ": cannot write");
}

}  // namespace faceocc
