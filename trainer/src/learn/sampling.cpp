#include "faceocc/train/learn/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace faceocc {

std::vector<double> class_balance_weights(const std::vector<int>& labels, int num_classes, double power) {
  std::vector<double> freq(size_t(num_classes), 0.0);
  for (int y : labels) {
    if (y < 0 || y >= num_classes) throw std::invalid_argument("class_balance_weights: label out of range");
    freq[size_t(y)] += 1;
  }
  std::vector<double> w(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) w[i] = std::pow(freq[size_t(labels[i])], -power);
  return w;
}

SyntheticClasses parse_synthetic_classes(const std::string& name) {
  if (name == "balanced") return SyntheticClasses::balanced;
  if (name == "real") return SyntheticClasses::follow_real;
  throw std::invalid_argument("synthetic classes must be 'real' or 'balanced', not '" + name + "'");
}

std::string synthetic_classes_name(SyntheticClasses s) { return s == SyntheticClasses::balanced ? "balanced" : "real"; }

std::vector<double> class_shares(const std::vector<int>& labels, int num_classes, double power) {
  std::vector<double> freq(size_t(num_classes), 0.0), share(size_t(num_classes), 0.0);
  for (int y : labels) {
    if (y < 0 || y >= num_classes) throw std::invalid_argument("class_shares: label out of range");
    freq[size_t(y)] += 1;
  }
  double total = 0;
  for (size_t c = 0; c < freq.size(); ++c) total += share[c] = freq[c] > 0 ? std::pow(freq[c], 1.0 - power) : 0.0;
  if (total > 0)
    for (double& v : share) v /= total;
  return share;
}

// splitmix64-driven, so the draw does not depend on the standard library's distributions.
static uint64_t mix64(uint64_t& s) {
  uint64_t x = (s += 0x9e3779b97f4a7c15ull);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::vector<int64_t> weighted_draw(const std::vector<double>& weights, int64_t n, uint64_t seed) {
  if (weights.empty() || n <= 0) return {};
  std::vector<double> cdf(weights.size());
  std::partial_sum(weights.begin(), weights.end(), cdf.begin());
  const double total = cdf.back();
  if (!(total > 0)) throw std::invalid_argument("weighted_draw: weights sum to zero");
  std::vector<int64_t> out(static_cast<size_t>(n));
  uint64_t s = seed;
  for (auto& o : out) {
    const double u = double(mix64(s) >> 11) * 0x1.0p-53 * total;
    o = int64_t(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    if (o >= int64_t(weights.size())) o = int64_t(weights.size()) - 1;
  }
  return out;
}

static std::vector<int64_t> draw_part(const std::vector<int>& labels, int num_classes, int64_t n, double power,
                                      uint64_t seed) {
  if (n <= 0 || labels.empty()) return {};
  if (power == 0 && n <= int64_t(labels.size())) {  // natural frequencies: a plain shuffle, no repeats
    std::vector<int64_t> idx(labels.size());
    std::iota(idx.begin(), idx.end(), 0);
    uint64_t s = seed;
    for (size_t i = idx.size() - 1; i > 0; --i) std::swap(idx[i], idx[size_t(mix64(s) % (i + 1))]);
    idx.resize(size_t(n));
    return idx;
  }
  return weighted_draw(class_balance_weights(labels, num_classes, power), n, seed);
}

// Synthetic weights that give each class the share the real part gets: share(c) / freq_synthetic(c).
static std::vector<double> follow_real_weights(const std::vector<int>& real_labels, const std::vector<int>& synth_labels,
                                               int num_classes, double power) {
  std::vector<double> target = class_shares(real_labels, num_classes, power);
  const std::vector<double> have = class_shares(synth_labels, num_classes, 0.0);
  // A class the real training set lacks still comes from the pool, as often as its rarest real class:
  // filling such gaps is what synthetic data is for.
  double rarest = 1.0;
  for (double t : target)
    if (t > 0) rarest = std::min(rarest, t);
  for (size_t c = 0; c < target.size(); ++c)
    if (target[c] == 0 && have[c] > 0) target[c] = rarest;
  std::vector<double> w(synth_labels.size());
  for (size_t i = 0; i < synth_labels.size(); ++i) w[i] = target[size_t(synth_labels[i])] / have[size_t(synth_labels[i])];
  return w;
}

int64_t default_epoch_size(int64_t real, int64_t synthetic, double mix) {
  if (mix < 0 || mix > 1) throw std::invalid_argument("mix must be in [0, 1]");
  if (real == 0) return synthetic;
  if (synthetic == 0 || mix == 0 || mix == 1) return real;
  // The largest epoch whose real part (epoch - round(mix * epoch), as plan_epoch splits it) is still
  // the whole real set.
  int64_t n = int64_t(std::llround(double(real) / (1 - mix)));
  while (n - std::llround(mix * double(n)) > real) --n;
  while (n + 1 - std::llround(mix * double(n + 1)) <= real) ++n;
  return n;
}

EpochPlan plan_epoch(const std::vector<int>& real_labels, const std::vector<int>& synth_labels, int num_classes,
                     double mix, int64_t epoch_size, double power, uint64_t seed, SyntheticClasses synthetic) {
  if (mix < 0 || mix > 1) throw std::invalid_argument("mix must be in [0, 1]");
  int64_t n_syn = int64_t(std::llround(mix * double(epoch_size)));
  if (synth_labels.empty()) n_syn = 0;
  if (real_labels.empty()) n_syn = epoch_size;
  EpochPlan p;
  const bool follow = synthetic == SyntheticClasses::follow_real && n_syn > 0 && n_syn < epoch_size;
  if (follow) {
    p.synthetic = weighted_draw(follow_real_weights(real_labels, synth_labels, num_classes, power), n_syn, seed * 2 + 1);
  } else {
    p.synthetic = draw_part(synth_labels, num_classes, n_syn, power, seed * 2 + 1);
  }
  p.real = draw_part(real_labels, num_classes, epoch_size - n_syn, power, seed * 2);
  return p;
}

}  // namespace faceocc
