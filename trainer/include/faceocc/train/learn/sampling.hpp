// What the model sees each epoch: class-balanced oversampling of the real set,
// mixed with synthetic samples at a fixed fraction, whose classes are balanced
// on their own or follow the real part.
//
// Thread safety: pure functions; every draw comes from the seed passed in.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace faceocc {

// Per-sample weights proportional to freq(class)^-power: power 1 balances the
// classes exactly in expectation, 0 leaves the natural frequencies.
std::vector<double> class_balance_weights(const std::vector<int>& labels, int num_classes, double power);

// Draws `n` indices with replacement, proportional to `weights`; seeded.
std::vector<int64_t> weighted_draw(const std::vector<double>& weights, int64_t n, uint64_t seed);

// How the synthetic part of an epoch picks its classes.
//   balanced:    like the real part, by freq(class)^-power within the synthetic pool.
//   follow_real: with the class shares the real part gets (after its oversampling), so
//                synthetic data changes what each class looks like, not how often the model
//                sees it; a class the real training set lacks is drawn as often as its
//                rarest real class (the gap synthetic data exists to fill).
//                Without real samples (mix 1) it is the same as balanced.
enum class SyntheticClasses { balanced, follow_real };
SyntheticClasses parse_synthetic_classes(const std::string& name);  // "balanced" | "real"; throws otherwise
std::string synthetic_classes_name(SyntheticClasses s);

// The expected share of each class in a draw weighted by freq^-power (sums to 1; 0 for absent classes).
std::vector<double> class_shares(const std::vector<int>& labels, int num_classes, double power);

// Samples per epoch when the user gives none: the real training set once, with the
// synthetic share `mix` asks for on top of it (real n / (1 - mix) in all), so a mix
// adds synthetic samples without taking real ones away; real only = the real set,
// synthetic only (mix 1, or no real samples) = the real set's size, else the pool's.
// An empty pool means no synthetic part. Requires 0 <= mix <= 1.
int64_t default_epoch_size(int64_t real, int64_t synthetic, double mix);

struct EpochPlan {
  std::vector<int64_t> real;       // indices into the real training set
  std::vector<int64_t> synthetic;  // indices into the synthetic set
};

// One epoch of `epoch_size` samples of which round(mix * epoch_size) are
// synthetic (mix 0 = real only, 1 = synthetic only). Each part is drawn with
// class-balance `power` (0 = plain shuffle without replacement when it fits);
// the synthetic part's classes as `synthetic` says.
EpochPlan plan_epoch(const std::vector<int>& real_labels, const std::vector<int>& synth_labels, int num_classes,
                     double mix, int64_t epoch_size, double power, uint64_t seed,
                     SyntheticClasses synthetic = SyntheticClasses::balanced);

}  // namespace faceocc
