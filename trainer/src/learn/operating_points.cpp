#include "faceocc/train/learn/operating_points.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace faceocc {

namespace {

void check_sets(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) throw std::invalid_argument("roc: one label per score");
  const auto pos = std::count(positive.begin(), positive.end(), true);
  if (pos == 0 || pos == long(positive.size())) throw std::invalid_argument("roc: needs positives and negatives");
}

// Mann-Whitney kernel: 1 if the positive scores higher, 1/2 on a tie, 0 otherwise.
double psi(double pos, double neg) { return pos > neg ? 1.0 : pos == neg ? 0.5 : 0.0; }

}  // namespace

std::vector<RocPoint> roc_curve(const std::vector<double>& scores, const std::vector<bool>& positive) {
  check_sets(scores, positive);
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  const double P = double(std::count(positive.begin(), positive.end(), true)), N = double(scores.size()) - P;
  std::vector<RocPoint> out{{std::numeric_limits<double>::infinity(), 0, 0}};
  double tp = 0, fp = 0;
  for (size_t i = 0; i < order.size();) {
    const double s = scores[order[i]];
    for (; i < order.size() && scores[order[i]] == s; ++i) (positive[order[i]] ? tp : fp) += 1;  // a tie moves together
    out.push_back({s, fp / N, tp / P});
  }
  return out;
}

Auc roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  check_sets(scores, positive);
  std::vector<double> pos, neg;
  for (size_t i = 0; i < scores.size(); ++i) (positive[i] ? pos : neg).push_back(scores[i]);
  const double m = double(pos.size()), n = double(neg.size());
  // DeLong, Stat. Med. 1988: structural components per positive (V10) and per negative (V01).
  std::vector<double> v10(pos.size(), 0.0), v01(neg.size(), 0.0);
  for (size_t i = 0; i < pos.size(); ++i)
    for (size_t j = 0; j < neg.size(); ++j) {
      const double k = psi(pos[i], neg[j]);
      v10[i] += k / n;
      v01[j] += k / m;
    }
  Auc a;
  a.value = std::accumulate(v10.begin(), v10.end(), 0.0) / m;
  auto var = [&](const std::vector<double>& v) {
    if (v.size() < 2) return 0.0;
    double s = 0;
    for (double x : v) s += (x - a.value) * (x - a.value);
    return s / double(v.size() - 1);
  };
  const double se = std::sqrt(var(v10) / m + var(v01) / n);
  a.low = std::max(0.0, a.value - 1.959964 * se);
  a.high = std::min(1.0, a.value + 1.959964 * se);
  return a;
}

double threshold_at_false_reject(const std::vector<double>& clean, double rate) {
  if (clean.empty()) throw std::invalid_argument("threshold_at_false_reject: no clean scores");
  if (!(rate >= 0 && rate < 1)) throw std::invalid_argument("threshold_at_false_reject: rate must be in [0, 1)");
  std::vector<double> s = clean;
  std::sort(s.begin(), s.end(), std::greater<double>());
  const size_t allowed = size_t(std::floor(rate * double(s.size()) + 1e-9));
  // Just above the (allowed + 1)-th highest clean score: it and every score tied with it are accepted.
  return std::nextafter(s[allowed], std::numeric_limits<double>::infinity());
}

Proportion wilson(long k, long n) {
  Proportion p;
  p.k = k;
  p.n = n;
  if (n <= 0) { p.high = 1; return p; }
  const double z = 1.959964, ph = double(k) / double(n), z2n = z * z / double(n);
  const double centre = (ph + z2n / 2) / (1 + z2n), half = z * std::sqrt(ph * (1 - ph) / double(n) + z2n / (4 * double(n))) / (1 + z2n);
  p.value = ph;
  p.low = std::max(0.0, centre - half);
  p.high = std::min(1.0, centre + half);
  return p;
}

std::vector<OperatingPoint> operating_points(const std::vector<double>& clean,
                                             const std::vector<std::pair<std::string, std::vector<double>>>& groups,
                                             const std::vector<double>& targets) {
  std::vector<OperatingPoint> out;
  auto at_or_above = [](const std::vector<double>& v, double t) { return long(std::count_if(v.begin(), v.end(), [&](double x) { return x >= t; })); };
  for (double target : targets) {
    OperatingPoint op;
    op.target = target;
    op.threshold = threshold_at_false_reject(clean, target);
    op.false_reject = wilson(at_or_above(clean, op.threshold), long(clean.size()));
    for (const auto& [name, scores] : groups) op.caught.push_back({name, wilson(at_or_above(scores, op.threshold), long(scores.size()))});
    out.push_back(std::move(op));
  }
  return out;
}

std::string format_operating_points(const std::vector<OperatingPoint>& points) {
  std::ostringstream s;
  char b[200];
  s << "| clean false rejects at most | threshold | false rejects (measured) |";
  if (!points.empty())
    for (const auto& [name, p] : points[0].caught) s << " " << name << " caught |";
  s << "\n|---|---|---|";
  if (!points.empty()) for (size_t i = 0; i < points[0].caught.size(); ++i) s << "---|";
  s << "\n";
  for (const OperatingPoint& op : points) {
    std::snprintf(b, sizeof b, "| %.1f %% | %.4f | %ld / %ld (%.2f %%) |", 100 * op.target, op.threshold, op.false_reject.k,
                  op.false_reject.n, 100 * op.false_reject.value);
    s << b;
    for (const auto& [name, p] : op.caught) {
      std::snprintf(b, sizeof b, " %.3f [%.3f, %.3f] %ld / %ld |", p.value, p.low, p.high, p.k, p.n);
      s << b;
    }
    s << "\n";
  }
  return s.str();
}

}  // namespace faceocc
