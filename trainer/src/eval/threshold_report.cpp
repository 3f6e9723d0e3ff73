#include "faceocc/train/eval/threshold_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <sstream>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/check/verdict.hpp"
#include "faceocc/train/eval/line_plot.hpp"
#include "faceocc/train/learn/operating_points.hpp"

namespace faceocc {

namespace fs = std::filesystem;

using Groups = std::vector<std::pair<std::string, std::vector<double>>>;

// The normal deviate of a probability (the inverse of the normal CDF), by bisection: the DET
// curve's axis scale, on which two normal score distributions give a straight line.
double probit(double p) {
  double lo = -9, hi = 9;
  for (int i = 0; i < 80; ++i) {
    const double mid = (lo + hi) / 2;
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// The covered score (1 - p(none), what an app thresholds) of the clean faces and of each
// covered class; false when the scores are not a region model's or either side is empty.
bool covered_scores(const ModelScores& s, std::vector<double>& clean, Groups& groups, std::vector<double>& all_covered) {
  if (s.task != Task::Region) return false;
  groups = {{"upper", {}}, {"lower", {}}, {"both", {}}};
  for (size_t i = 0; i < s.probs.size(); ++i) {
    const double covered = 1.0 - double(s.probs[i][0]);
    if (s.truth[i] == int(OccClass::None)) clean.push_back(covered);
    else groups[size_t(s.truth[i] - 1)].second.push_back(covered);
  }
  for (const auto& g : groups) all_covered.insert(all_covered.end(), g.second.begin(), g.second.end());
  return !clean.empty() && !all_covered.empty();
}

std::string write_threshold_report(const ModelScores& s, const fs::path& out) {
  std::vector<double> clean, all_covered;
  Groups groups;
  if (!covered_scores(s, clean, groups, all_covered)) return "";

  std::ostringstream csv, md;
  csv << "curve,threshold,clean_rejected,caught\n";
  md << "Covered (1 - p(none)) against " << clean.size() << " clean photos:\n\n| curve | covered photos | AUC [95 % DeLong] |\n|---|---|---|\n";
  std::vector<PlotSeries> series, det;
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
    PlotSeries ps, ds;
    ps.name = name + " (AUC " + std::to_string(a.value).substr(0, 5) + ")";
    ds.name = name;
    for (const RocPoint& p : roc) {
      csv << name << "," << p.threshold << "," << p.false_positive << "," << p.true_positive << "\n";
      if (p.false_positive <= 0.10) ps.x.push_back(100 * p.false_positive), ps.y.push_back(p.true_positive);
      if (p.false_positive > 0 && p.false_positive <= 0.10) lowest = std::min(lowest, p.true_positive);
      if (p.false_positive > 0 && p.true_positive < 1)  // both rates on the normal deviate scale
        ds.x.push_back(probit(p.false_positive)), ds.y.push_back(probit(1 - p.true_positive));
    }
    series.push_back(std::move(ps));
    det.push_back(std::move(ds));
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
  // The DET curve: both error rates on the normal deviate scale, where the low rates an app
  // ships at are spread out (points at 0 % cannot be drawn on it; the ROC shows them).
  PlotOptions dp;
  dp.title = s.label + ": DET, covered faces missed vs clean faces rejected";
  dp.x_label = "clean faces rejected";
  dp.y_label = "missed";
  dp.x_min = probit(0.001), dp.x_max = probit(0.5);
  dp.y_min = probit(0.001), dp.y_max = probit(0.5);
  for (const auto& [rate, label] : std::vector<std::pair<double, std::string>>{
           {0.001, "0.1%"}, {0.002, "0.2%"}, {0.005, "0.5%"}, {0.01, "1%"}, {0.02, "2%"}, {0.05, "5%"}, {0.1, "10%"}, {0.2, "20%"}, {0.5, "50%"}})
    dp.x_marks.emplace_back(probit(rate), label), dp.y_marks.emplace_back(probit(rate), label);
  if (!write_line_plot(det, dp, out / ("det_" + s.label + ".png")))
    throw std::runtime_error((out / ("det_" + s.label + ".png")).string() + ": cannot write");
  return md.str();
}

namespace {

nlohmann::ordered_json proportion_json(const Proportion& p) {
  return {{"k", p.k}, {"n", p.n}, {"value", p.value}, {"low", p.low}, {"high", p.high}};
}

}  // namespace

std::optional<CoveredThreshold> write_operating_point(const ModelScores& s, double max_false_reject, double temperature,
                                                      const fs::path& out) {
  if (!(max_false_reject > 0 && max_false_reject < 1)) throw std::invalid_argument("the false-reject rate must be in (0, 1)");
  std::vector<double> clean, all_covered;
  Groups groups;
  if (!covered_scores(s, clean, groups, all_covered)) return std::nullopt;
  groups.insert(groups.begin(), {"covered", all_covered});
  CoveredThreshold t;
  t.false_reject = max_false_reject;
  t.threshold = threshold_at_false_reject(clean, max_false_reject);
  t.clean_faces = long(clean.size());
  t.temperature = temperature;
  std::vector<double> rates{0.005, 0.01, 0.02, 0.05, 0.10};
  if (std::find(rates.begin(), rates.end(), max_false_reject) == rates.end()) rates.push_back(max_false_reject);
  std::sort(rates.begin(), rates.end());
  for (double r : rates) t.by_rate.emplace_back(r, threshold_at_false_reject(clean, r));

  nlohmann::ordered_json j;
  for (const auto& [k, v] : threshold_metadata(t)) j["metadata"][k] = v;
  const OperatingPoint at = operating_points(clean, groups, {max_false_reject})[0];
  j["max_false_reject"] = max_false_reject;
  j["threshold"] = t.threshold;
  j["measured"]["false_reject"] = proportion_json(at.false_reject);
  for (const auto& [name, p] : at.caught) j["measured"]["caught"][name] = proportion_json(p);
  // The same photos at the most probable class, and how many verdicts the threshold changes.
  long clean_rejected = 0, changed = 0;
  std::vector<long> caught(4, 0), total(4, 0);
  for (size_t i = 0; i < s.probs.size(); ++i) {
    std::array<float, kNumClasses> p{};
    std::copy_n(s.probs[i].begin(), kNumClasses, p.begin());
    const Verdict a = decide(p, std::nullopt), b = decide(p, t);
    changed += a.cls != b.cls;
    const int truth = s.truth[i];
    ++total[size_t(truth)];
    if (truth == 0) clean_rejected += a.cls != OccClass::None;
    else caught[size_t(truth)] += a.cls != OccClass::None;
  }
  j["argmax"]["false_reject"] = proportion_json(wilson(clean_rejected, total[0]));
  j["argmax"]["caught"]["covered"] = proportion_json(wilson(caught[1] + caught[2] + caught[3], total[1] + total[2] + total[3]));
  for (int k = 1; k < 4; ++k) j["argmax"]["caught"][groups[size_t(k)].first] = proportion_json(wilson(caught[size_t(k)], total[size_t(k)]));
  j["verdicts_changed_from_argmax"] = {{"k", changed}, {"n", long(s.probs.size())}};
  write_text_or_throw(out / "operating_point.json", j.dump(1) + "\n");
  return t;
}

}  // namespace faceocc
