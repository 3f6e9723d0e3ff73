#include "faceocc/train/learn/temperature.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace faceocc {

namespace {

constexpr double kFloor = 1e-12;

void check(const ProbRows& probs, const std::vector<int>& labels) {
  if (probs.empty() || probs.size() != labels.size()) throw std::invalid_argument("calibration needs one label per scored photo, and photos");
  for (size_t i = 0; i < probs.size(); ++i)
    if (labels[i] < 0 || size_t(labels[i]) >= probs[i].size()) throw std::invalid_argument("calibration: a label outside its row's classes");
}

// Mean NLL at inverse temperature b, from precomputed log-probabilities.
double nll_at(const std::vector<std::vector<double>>& logp, const std::vector<int>& labels, double b) {
  double sum = 0;
  for (size_t i = 0; i < logp.size(); ++i) {
    double top = -INFINITY;
    for (double z : logp[i]) top = std::max(top, b * z);
    double s = 0;
    for (double z : logp[i]) s += std::exp(b * z - top);
    sum += top + std::log(s) - b * logp[i][size_t(labels[i])];
  }
  return sum / double(logp.size());
}

std::vector<std::vector<double>> log_probs(const ProbRows& probs) {
  std::vector<std::vector<double>> out(probs.size());
  for (size_t i = 0; i < probs.size(); ++i)
    for (float p : probs[i]) out[i].push_back(std::log(std::max(double(p), kFloor)));
  return out;
}

}  // namespace

double fit_temperature(const ProbRows& probs, const std::vector<int>& labels) {
  check(probs, labels);
  const auto logp = log_probs(probs);
  // Golden-section search on log(b), b = 1 / T in [1/20, 1/0.05]: the NLL is convex in b.
  double lo = std::log(1 / 20.0), hi = std::log(1 / 0.05);
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = hi - g * (hi - lo), c = lo + g * (hi - lo);
  double fa = nll_at(logp, labels, std::exp(a)), fc = nll_at(logp, labels, std::exp(c));
  while (hi - lo > 1e-6) {
    if (fa < fc) hi = c, c = a, fc = fa, a = hi - g * (hi - lo), fa = nll_at(logp, labels, std::exp(a));
    else lo = a, a = c, fa = fc, c = lo + g * (hi - lo), fc = nll_at(logp, labels, std::exp(c));
  }
  return 1 / std::exp((lo + hi) / 2);
}

ProbRows apply_temperature(const ProbRows& probs, double temperature) {
  if (!(temperature > 0)) throw std::invalid_argument("temperature must be > 0");
  const auto logp = log_probs(probs);
  ProbRows out(probs.size());
  for (size_t i = 0; i < probs.size(); ++i) {
    double top = -INFINITY, s = 0;
    for (double z : logp[i]) top = std::max(top, z / temperature);
    for (double z : logp[i]) s += std::exp(z / temperature - top);
    for (double z : logp[i]) out[i].push_back(float(std::exp(z / temperature - top) / s));
  }
  return out;
}

double mean_nll(const ProbRows& probs, const std::vector<int>& labels) {
  check(probs, labels);
  double sum = 0;
  for (size_t i = 0; i < probs.size(); ++i) sum -= std::log(std::max(double(probs[i][size_t(labels[i])]), kFloor));
  return sum / double(probs.size());
}

Reliability reliability(const ProbRows& probs, const std::vector<int>& labels, int bins) {
  check(probs, labels);
  if (bins < 1) throw std::invalid_argument("reliability needs at least one bin");
  Reliability r;
  r.bins.resize(size_t(bins));
  for (int b = 0; b < bins; ++b) r.bins[size_t(b)].low = double(b) / bins, r.bins[size_t(b)].high = double(b + 1) / bins;
  for (size_t i = 0; i < probs.size(); ++i) {
    const auto top = std::max_element(probs[i].begin(), probs[i].end());
    const double conf = *top;
    auto& bin = r.bins[size_t(std::clamp(int(conf * bins), 0, bins - 1))];
    ++bin.n;
    bin.confidence += conf;
    bin.accuracy += int(top - probs[i].begin()) == labels[i];
  }
  for (auto& bin : r.bins) {
    if (bin.n == 0) continue;
    bin.confidence /= double(bin.n), bin.accuracy /= double(bin.n);
    r.ece += double(bin.n) / double(probs.size()) * std::abs(bin.accuracy - bin.confidence);
  }
  return r;
}

}  // namespace faceocc
