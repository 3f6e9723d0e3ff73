#include "faceocc/train/eval/realism_run.hpp"

#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/manifest_csv.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/model/pretrained.hpp"

namespace faceocc {

namespace fs = std::filesystem;

// Horizontal bars, one per scored row, 0.5 and 1.0 marked.
static void write_bars(const std::vector<RealismRow>& rows, const fs::path& file) {
  const int w = 720, row_h = 28, top = 40, left = 250, bar_w = w - left - 30;
  cv::Mat img(top + row_h * int(rows.size()) + 30, w, CV_8UC3, cv::Scalar::all(255));
  cv::putText(img, "real (or cut-outs) vs synthetic: cross-validated AUC (0.5 = indistinguishable)", {10, 25}, cv::FONT_HERSHEY_SIMPLEX,
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

RealismReport run_realism(const RealismRunOptions& o, const std::function<void(const std::string&)>& log) {
  LoadReport rr, rs;
  const ImageSet r = load_real(o.real, {o.cache, o.detector, o.threads, log}, rr);
  const ImageSet s = load_synthetic(o.synthetic, rs);
  std::map<std::string, std::string> occ;  // sample id -> its occluders field
  for (const auto& d : o.synthetic) {
    if (!fs::exists(d / "manifest.csv"))
      throw std::runtime_error((d / "manifest.csv").string() + ": cannot open (not an occgen output folder?)");
    for (const ManifestRow& row : read_manifest(d)) occ.emplace(row.id, row.occluders);
  }
  std::vector<std::string> families;
  for (int64_t i = 0; i < s.size(); ++i) {
    const std::string id = fs::path(s.paths[size_t(i)]).stem().string();
    families.push_back(synthetic_family(s.labels[size_t(i)], occ.count(id) ? occ[id] : ""));
  }
  MobileFaceNet net = load_pretrained(o.weights);
  RealismReport rep;
  rep.rows = measure_realism(net, r, s, families, o.meter);
  std::ostringstream md;
  md << "| family | against | n | synthetic | AUC (against vs synthetic) |\n|---|---|---|---|---|\n";
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& row : rep.rows) {
    char b[64];
    if (row.auc < 0) std::snprintf(b, sizeof b, "not scored (< 20 each)");
    else std::snprintf(b, sizeof b, "%.3f ± %.3f", row.auc, row.auc_sd);
    md << "| " << row.family << " | " << row.reference << " | " << row.real << " | " << row.synthetic << " | " << b << " |\n";
    j.push_back({{"family", row.family}, {"against", row.reference}, {"real", row.real}, {"synthetic", row.synthetic},
                 {"auc", row.auc}, {"auc_sd", row.auc_sd}});
  }
  fs::create_directories(o.out);
  write_text_or_throw(o.out / "realism.md", md.str());
  write_text_or_throw(o.out / "realism.json", j.dump(1) + "\n");
  write_bars(rep.rows, o.out / "realism.png");
  rep.markdown = md.str();
  return rep;
}

}  // namespace faceocc
