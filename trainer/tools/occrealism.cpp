// occrealism: how far synthetic occlusions are from real ones (see
// faceocc/train/realism_meter.hpp): per family, the cross-validated AUC of a
// logistic regression telling real aligned crops from occgen's on the
// pretrained network's features. 0.5 = indistinguishable.
//
//   occrealism --real ../shared/data/dev --synthetic out/occgen --out out/realism
// Writes OUT/realism.md, OUT/realism.json and OUT/realism.png. Exit: 0 done; 1 data problem; 2 bad arguments.
#include <iostream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/manifest_csv.hpp"
#include "faceocc/train/cpu_tuning.hpp"
#include "faceocc/train/datasets.hpp"
#include "faceocc/train/pretrained.hpp"
#include "faceocc/train/realism_meter.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

// Horizontal bars, one per scored row, 0.5 and 1.0 marked.
static void write_bars(const std::vector<RealismRow>& rows, const fs::path& file) {
  const int w = 640, row_h = 28, top = 40, left = 170, bar_w = w - left - 30;
  cv::Mat img(top + row_h * int(rows.size()) + 30, w, CV_8UC3, cv::Scalar::all(255));
  cv::putText(img, "real vs synthetic: cross-validated AUC (0.5 = indistinguishable)", {10, 25}, cv::FONT_HERSHEY_SIMPLEX,
              0.5, cv::Scalar::all(0), 1, cv::LINE_AA);
  auto xof = [&](double auc) { return left + int((auc - 0.4) / 0.6 * bar_w); };
  for (double g : {0.5, 1.0})
    cv::line(img, {xof(g), top - 5}, {xof(g), img.rows - 25}, cv::Scalar(180, 180, 180), 1);
  for (size_t i = 0; i < rows.size(); ++i) {
    const int y = top + int(i) * row_h;
    cv::putText(img, rows[i].family, {10, y + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar::all(0), 1, cv::LINE_AA);
    if (rows[i].auc < 0) {
      cv::putText(img, "too few samples", {left + 4, y + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar::all(120), 1, cv::LINE_AA);
      continue;
    }
    cv::rectangle(img, cv::Rect(xof(0.4), y + 5, xof(rows[i].auc) - xof(0.4), row_h - 10), cv::Scalar(180, 120, 60), cv::FILLED);
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", rows[i].auc);
    cv::putText(img, b, {xof(rows[i].auc) + 4, y + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar::all(0), 1, cv::LINE_AA);
  }
  cv::putText(img, "0.5", {xof(0.5) - 10, img.rows - 8}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar::all(90), 1, cv::LINE_AA);
  cv::putText(img, "1.0", {xof(1.0) - 10, img.rows - 8}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar::all(90), 1, cv::LINE_AA);
  std::vector<uchar> png;
  cv::imencode(".png", img, png);
  if (!write_file_atomic(file, png.data(), png.size())) throw std::runtime_error(file.string() + ": cannot write");
}

int main(int argc, char** argv) {
  std::vector<std::string> real, synth;
  std::string out, cache, detector, weights, config;
  RealismOptions o;
  int threads = 0;
  po::options_description desc("occrealism: how far synthetic occlusions are from real ones, per family\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occrealism.ini"), "INI file of defaults (command line wins)")
      ("real", po::value(&real)->multitoken(), "real labelled photos: ROOT/<class>/* or path,class CSV (repeatable)")
      ("synthetic", po::value(&synth)->multitoken(), "occgen output folder(s) made with --aligned 112")
      ("out", po::value(&out)->default_value("out/realism"), "output folder")
      ("per-group", po::value(&o.per_group)->default_value(300), "real and synthetic crops per row, each at most")
      ("folds", po::value(&o.folds)->default_value(5), "cross-validation folds")
      ("seed", po::value(&o.seed)->default_value(1), "sampling and fold seed")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)")
      ("weights", po::value(&weights)->default_value(default_weights_json().string()), "pretrained TF.js model.json")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  po::variables_map vm;
  try {
    parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (real.empty() || synth.empty()) throw po::error("--real and --synthetic are required");
    if (o.per_group < 20 || o.per_group > 100000) throw po::error("--per-group must be in 20..100000");
    if (o.folds < 2 || o.folds > 20) throw po::error("--folds must be in 2..20");
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
  } catch (const po::error& e) {
    std::cerr << "occrealism: " << e.what() << " (see --help)\n";
    return 2;
  }
  try {
    tune_cpu({threads});
    LoadReport rr, rs;
    const ImageSet r = load_real(std::vector<fs::path>(real.begin(), real.end()), {cache, detector, threads, {}}, rr);
    const ImageSet s = load_synthetic(std::vector<fs::path>(synth.begin(), synth.end()), rs);
    std::map<std::string, std::string> occ;  // sample id -> its occluders field
    for (const auto& d : synth) {
      if (!fs::exists(fs::path(d) / "manifest.csv"))
        throw std::runtime_error((fs::path(d) / "manifest.csv").string() + ": cannot open (not an occgen output folder?)");
      for (const ManifestRow& r : read_manifest(d)) occ.emplace(r.id, r.occluders);
    }
    std::vector<std::string> families;
    for (int64_t i = 0; i < s.size(); ++i) {
      const std::string id = fs::path(s.paths[size_t(i)]).stem().string();
      families.push_back(synthetic_family(s.labels[size_t(i)], occ.count(id) ? occ[id] : ""));
    }
    MobileFaceNet net = load_pretrained(weights);
    const auto rows = measure_realism(net, r, s, families, o);
    std::ostringstream md;
    md << "| family | real | synthetic | AUC (real vs synthetic) |\n|---|---|---|---|\n";
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& row : rows) {
      char b[64];
      if (row.auc < 0) std::snprintf(b, sizeof b, "not scored (< 20 each)");
      else std::snprintf(b, sizeof b, "%.3f ± %.3f", row.auc, row.auc_sd);
      md << "| " << row.family << " | " << row.real << " | " << row.synthetic << " | " << b << " |\n";
      j.push_back({{"family", row.family}, {"real", row.real}, {"synthetic", row.synthetic}, {"auc", row.auc}, {"auc_sd", row.auc_sd}});
    }
    fs::create_directories(out);
    write_text_or_throw(fs::path(out) / "realism.md", md.str());
    write_text_or_throw(fs::path(out) / "realism.json", j.dump(1) + "\n");
    write_bars(rows, fs::path(out) / "realism.png");
    std::cout << md.str() << "occrealism: " << out << "/realism.md, realism.json, realism.png\n";
  } catch (const std::exception& e) {
    std::cerr << "occrealism: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
