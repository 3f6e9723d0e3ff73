#include "faceocc/train/eval/calibration_report.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/eval/line_plot.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

nlohmann::ordered_json bins_json(const Reliability& r) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& b : r.bins)
    a.push_back({{"low", b.low}, {"high", b.high}, {"n", b.n}, {"confidence", b.confidence}, {"accuracy", b.accuracy}});
  return a;
}

PlotSeries reliability_series(const std::string& name, const Reliability& r) {
  PlotSeries s;
  s.name = name;
  for (const auto& b : r.bins)
    if (b.n > 0) s.x.push_back(b.confidence), s.y.push_back(b.accuracy);
  return s;
}

}  // namespace

CalibrationReport write_calibration_report(const ProbRows& probs, const std::vector<int>& labels, const std::string& label,
                                           const fs::path& out) {
  if (probs.size() < 2 || probs.size() != labels.size()) throw std::invalid_argument("calibration needs at least 2 labelled photos");
  CalibrationReport c;
  c.n = long(probs.size());
  ProbRows half[2];
  std::vector<int> half_labels[2];
  for (size_t i = 0; i < probs.size(); ++i) half[i % 2].push_back(probs[i]), half_labels[i % 2].push_back(labels[i]);
  ProbRows held_out(probs.size());  // each row under the temperature fitted on the other half
  for (int h = 0; h < 2; ++h) {
    c.half_temperatures[h] = fit_temperature(half[h], half_labels[h]);
    const ProbRows other = apply_temperature(half[1 - h], c.half_temperatures[h]);
    for (size_t k = 0; k < other.size(); ++k) held_out[2 * k + size_t(1 - h)] = other[k];
  }
  c.temperature = fit_temperature(probs, labels);
  c.calibrated = apply_temperature(probs, c.temperature);
  const Reliability before = reliability(probs, labels), after = reliability(held_out, labels);
  c.nll_before = mean_nll(probs, labels), c.nll_after = mean_nll(held_out, labels);
  c.ece_before = before.ece, c.ece_after = after.ece;

  nlohmann::ordered_json j;
  j["temperature"] = c.temperature;
  j["photos"] = c.n;
  j["measured_on"] = "each half of the photos (even, odd rows) under the temperature fitted on the other half";
  j["half_temperatures"] = {c.half_temperatures[0], c.half_temperatures[1]};
  j["nll"] = {{"before", c.nll_before}, {"after", c.nll_after}};
  j["ece_15_bins"] = {{"before", c.ece_before}, {"after", c.ece_after}};
  j["bins_before"] = bins_json(before);
  j["bins_after"] = bins_json(after);
  write_text_or_throw(out / ("calibration_" + label + ".json"), j.dump(1) + "\n");

  char b[96];
  std::snprintf(b, sizeof b, "raw (ECE %.3f)", c.ece_before);
  std::vector<PlotSeries> series{reliability_series(b, before)};
  std::snprintf(b, sizeof b, "T=%.2f (ECE %.3f)", c.temperature, c.ece_after);
  series.push_back(reliability_series(b, after));
  series.push_back({"perfectly calibrated", {0.25, 1}, {0.25, 1}, {}});
  PlotOptions po;
  po.title = label + ": reliability, " + std::to_string(c.n) + " photos (T: on held-out halves)";
  po.x_label = "confidence (top class probability)";
  po.y_label = "accuracy";
  po.y_min = 0.25, po.y_max = 1;
  const fs::path png = out / ("reliability_" + label + ".png");
  if (!write_line_plot(series, po, png)) throw std::runtime_error(png.string() + ": cannot write");
  return c;
}

}  // namespace faceocc
