// What the model sees each epoch: class-balanced oversampling of the real set,
// mixed with synthetic samples at a fixed fraction.
//
// Thread safety: pure functions; every draw comes from the seed passed in.
#pragma once
#include <cstdint>
#include <vector>

namespace faceocc {

// Per-sample weights proportional to freq(class)^-power: power 1 balances the
// classes exactly in expectation, 0 leaves the natural frequencies.
std::vector<double> class_balance_weights(const std::vector<int>& labels, int num_classes, double power);

// Draws `n` indices with replacement, proportional to `weights`; seeded.
std::vector<int64_t> weighted_draw(const std::vector<double>& weights, int64_t n, uint64_t seed);

struct EpochPlan {
  std::vector<int64_t> real;       // indices into the real training set
  std::vector<int64_t> synthetic;  // indices into the synthetic set
};

// One epoch of `epoch_size` samples of which round(mix * epoch_size) are
// synthetic (mix 0 = real only, 1 = synthetic only). Each part is drawn with
// class-balance `power` (0 = plain shuffle without replacement when it fits).
EpochPlan plan_epoch(const std::vector<int>& real_labels, const std::vector<int>& synth_labels, int num_classes,
                     double mix, int64_t epoch_size, double power, uint64_t seed);

}  // namespace faceocc
