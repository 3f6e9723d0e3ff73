#include "faceocc/train/eval/threshold_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <sstream>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/eval/line_plot.hpp"
#include "faceocc/train/learn/operating_points.hpp"

namespace faceocc {

namespace fs = std::filesystem;

std::string write_threshold_report(const ModelScores& s, const fs::path& out) {
  if (s.task != Task::Region) return "";
  std::vector<double> clean;
  std::vector<std::pair<std::string, std::vector<double>>> groups{{"upper", {}}, {"lower", {}}, {"both", {}}};
  for (size_t i = 0; i < s.probs.size(); ++i) {
    const double covered = 1.0 - double(s.probs[i][0]);  // the score an app thresholds
    if (s.truth[i] == int(OccClass::None)) clean.push_back(covered);
    else groups[size_t(s.truth[i] - 1)].second.push_back(covered);
  }
  std::vector<double> all_covered;
  for (const auto& g : groups) all_covered.insert(all_covered.end(), g.second.begin(), g.second.end());
  if (clean.empty() || all_covered.empty()) return "";

  std::ostringstream csv, md;
  csv << "curve,threshold,clean_rejected,caught\n";
  md << "Covered (1 - p(none)) against " << clean.size() << " clean photos:\n\n| curve | covered photos | AUC [95 % DeLong] |\n|---|---|---|\n";
  std::vector<PlotSeries> series;
  double lowest = 1;  // the lowest catch rate once any clean face is rejected: where the plot's y axis starts
  auto curve = [&](const std::string& name, const std::vector<double>& pos) {
    if (pos.empty()) return;
    std::vector<double> sc = clean;
    std::vector<bool> lab(clean.size(), false);
    sc.insert(sc.end(), pos.begin(), pos.end());
    lab.insert(lab.end(), pos.size(), true);
    const auto roc = roc_curve(sc, lab);
    const Auc a = roc_auc(sc, lab);
    char b[160];
    std::snprintf(b, sizeof b, "| %s | %zu | %.4f [%.4f, %.4f] |\n", name.c_str(), pos.size(), a.value, a.low, a.high);
    md << b;
    PlotSeries ps;
    ps.name = name + " (AUC " + std::to_string(a.value).substr(0, 5) + ")";
    for (const RocPoint& p : roc) {
      csv << name << "," << p.threshold << "," << p.false_positive << "," << p.true_positive << "\n";
      if (p.false_positive <= 0.10) ps.x.push_back(100 * p.false_positive), ps.y.push_back(p.true_positive);
      if (p.false_positive > 0 && p.false_positive <= 0.10) lowest = std::min(lowest, p.true_positive);
    }
    series.push_back(std::move(ps));
  };
  curve("covered", all_covered);
  for (const auto& [name, pos] : groups) curve(name, pos);
  md << "\n" << format_operating_points(operating_points(clean, groups));
  write_text_or_throw(out / ("roc_" + s.label + ".csv"), csv.str());
  write_text_or_throw(out / ("thresholds_" + s.label + ".md"), md.str());
  PlotOptions po;
  po.title = s.label + ": covered faces caught vs clean faces rejected";
  po.x_label = "clean faces rejected (%)";
  po.y_label = "covered faces caught";
  po.y_min = std::max(0.0, std::floor(lowest * 20) / 20 - 0.05);  // in steps of 0.05, the rise at 0 % cut off
  po.y_max = 1;
  if (!write_line_plot(series, po, out / ("roc_" + s.label + ".png")))
    throw std::runtime_error((out / ("roc_" + s.label + ".png")).string() + ": cannot write");
  return md.str();
}

}  // namespace faceocc
