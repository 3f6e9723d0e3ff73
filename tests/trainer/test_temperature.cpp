// Temperature scaling: on a deliberately over-confident set the fitted temperature
// is > 1, lowers the NLL and never changes the most probable class; on probabilities
// drawn from a known temperature it finds that temperature; ECE on a hand-made set is
// exact; the calibration report's "after" is measured on the half its fit never saw.
#include <cmath>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/train/eval/calibration_report.hpp"
#include "faceocc/train/learn/temperature.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

std::vector<float> softmax(const std::vector<double>& z) {
  double top = -INFINITY, s = 0;
  for (double v : z) top = std::max(top, v);
  for (double v : z) s += std::exp(v - top);
  std::vector<float> p;
  for (double v : z) p.push_back(float(std::exp(v - top) / s));
  return p;
}

size_t argmax(const std::vector<float>& p) { return size_t(std::max_element(p.begin(), p.end()) - p.begin()); }

// Labels drawn from softmax(z), probabilities reported as softmax(z * sharpen): with
// sharpen > 1 the set is over-confident, and the right temperature is `sharpen`.
void drawn_set(double sharpen, int n, ProbRows& probs, std::vector<int>& labels) {
  std::mt19937 rng(7);
  std::normal_distribution<double> g(0, 1.5);
  std::uniform_real_distribution<double> u(0, 1);
  for (int i = 0; i < n; ++i) {
    std::vector<double> z(4);
    for (double& v : z) v = g(rng);
    const std::vector<float> truth = softmax(z);
    double r = u(rng), acc = 0;
    int label = 3;
    for (int k = 0; k < 4; ++k)
      if ((acc += truth[size_t(k)]) > r) { label = k; break; }
    for (double& v : z) v *= sharpen;
    probs.push_back(softmax(z));
    labels.push_back(label);
  }
}

TEST(Temperature, OverConfidentSetGetsAboveOneLowerNllSameArgmax) {
  ProbRows probs;
  std::vector<int> labels;
  drawn_set(3.0, 4000, probs, labels);
  const double t = fit_temperature(probs, labels);
  EXPECT_NEAR(t, 3.0, 0.25);
  const ProbRows cal = apply_temperature(probs, t);
  EXPECT_LT(mean_nll(cal, labels), mean_nll(probs, labels) - 0.1);
  EXPECT_LT(reliability(cal, labels).ece, reliability(probs, labels).ece / 2);
  for (size_t i = 0; i < probs.size(); ++i) ASSERT_EQ(argmax(cal[i]), argmax(probs[i])) << i;
  // An under-confident set gets a temperature below 1.
  ProbRows under;
  std::vector<int> ul;
  drawn_set(0.5, 4000, under, ul);
  EXPECT_NEAR(fit_temperature(under, ul), 0.5, 0.05);
}

TEST(Temperature, FitMinimisesTheNll) {
  ProbRows probs;
  std::vector<int> labels;
  drawn_set(2.0, 500, probs, labels);
  const double t = fit_temperature(probs, labels), best = mean_nll(apply_temperature(probs, t), labels);
  for (double f : {0.9, 0.97, 1.03, 1.1}) EXPECT_LE(best, mean_nll(apply_temperature(probs, t * f), labels) + 1e-9) << f;
  EXPECT_THROW(fit_temperature({}, {}), std::invalid_argument);
  EXPECT_THROW(fit_temperature({{0.5f, 0.5f}}, {2}), std::invalid_argument);
  EXPECT_THROW(apply_temperature(probs, 0), std::invalid_argument);
}

TEST(Temperature, EceAndNllOnAHandMadeSet) {
  // Bin [0.6, 0.6667) of 15: two photos at 0.6, one right -> |0.5 - 0.6| = 0.1 weighted 2/4.
  // Bin [0.9333, 1]: two photos at 1.0 (floored to 1), both right -> 0.
  const ProbRows probs{{0.6f, 0.4f}, {0.4f, 0.6f}, {1.0f, 0.0f}, {0.0f, 1.0f}};
  const std::vector<int> labels{0, 0, 0, 1};
  const Reliability r = reliability(probs, labels);
  ASSERT_EQ(r.bins.size(), 15u);
  EXPECT_NEAR(r.ece, 0.05, 1e-6);
  EXPECT_EQ(r.bins[9].n, 2);
  EXPECT_EQ(r.bins[14].n, 2);
  EXPECT_NEAR(r.bins[9].accuracy, 0.5, 1e-12);
  EXPECT_NEAR(mean_nll(probs, labels), (-std::log(0.6) - std::log(0.4)) / 4, 1e-6);
}

TEST(CalibrationReport, MeasuresOnTheHalfTheFitNeverSaw) {
  ProbRows probs;
  std::vector<int> labels;
  drawn_set(2.5, 1000, probs, labels);
  const fs::path d = fs::temp_directory_path() / ("faceocc_cal_" + std::to_string(::getpid()));
  fs::create_directories(d);
  const CalibrationReport c = write_calibration_report(probs, labels, "val", d);
  EXPECT_NEAR(c.temperature, 2.5, 0.3);
  EXPECT_LT(c.nll_after, c.nll_before);
  EXPECT_LT(c.ece_after, c.ece_before);
  // "after" is each half under the other half's temperature, not the full fit.
  ProbRows even, odd;
  std::vector<int> le, lo;
  for (size_t i = 0; i < probs.size(); ++i) (i % 2 ? odd : even).push_back(probs[i]), (i % 2 ? lo : le).push_back(labels[i]);
  EXPECT_DOUBLE_EQ(c.half_temperatures[0], fit_temperature(even, le));
  const double want = (mean_nll(apply_temperature(odd, c.half_temperatures[0]), lo) * double(odd.size()) +
                       mean_nll(apply_temperature(even, c.half_temperatures[1]), le) * double(even.size())) / double(probs.size());
  EXPECT_NEAR(c.nll_after, want, 1e-6);
  std::ifstream in(d / "calibration_val.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_DOUBLE_EQ(j["temperature"].get<double>(), c.temperature);
  EXPECT_EQ(j["bins_after"].size(), 15u);
  EXPECT_GT(fs::file_size(d / "reliability_val.png"), 1000u);
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
