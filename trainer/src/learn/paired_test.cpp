#include "faceocc/train/learn/paired_test.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace faceocc {

std::vector<bool> correct_predictions(const std::vector<int>& truth, const std::vector<int>& predicted) {
  if (truth.size() != predicted.size()) throw std::invalid_argument("correct_predictions: one prediction per truth");
  std::vector<bool> r(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) r[i] = predicted[i] == truth[i];
  return r;
}

McNemarResult mcnemar_exact(const std::vector<bool>& a, const std::vector<bool>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("mcnemar_exact: the two models were scored on different image counts");
  McNemarResult r;
  for (size_t i = 0; i < a.size(); ++i) {
    r.a_only += a[i] && !b[i];
    r.b_only += b[i] && !a[i];
  }
  const long n = r.a_only + r.b_only, k = std::min(r.a_only, r.b_only);
  if (n == 0) return r;  // p = 1: no image tells them apart
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space (n can be thousands).
  double tail = 0;
  for (long i = 0; i <= k; ++i)
    tail += std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(i) + 1) - std::lgamma(double(n - i) + 1) - double(n) * std::log(2.0));
  r.p_value = std::min(1.0, 2 * tail);
  return r;
}

}  // namespace faceocc
