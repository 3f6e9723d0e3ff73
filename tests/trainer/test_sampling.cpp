// Oversampling converges to balanced classes; the synthetic mix is exact; the synthetic
// part can take the real part's class shares.
#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "faceocc/train/learn/sampling.hpp"

namespace faceocc {
namespace {

// The development set's class sizes: 1304 none, 383 upper, 1622 lower, 16 both.
std::vector<int> dev_like_labels() {
  std::vector<int> y;
  const int n[4] = {1304, 383, 1622, 16};
  for (int c = 0; c < 4; ++c) y.insert(y.end(), size_t(n[c]), c);
  return y;
}

std::array<double, 4> frequencies(const std::vector<int>& labels, const std::vector<int64_t>& idx) {
  std::array<double, 4> f{};
  for (int64_t i : idx) f[size_t(labels[size_t(i)])] += 1.0 / double(idx.size());
  return f;
}

TEST(Sampling, BalancedOversamplingConvergesToUniform) {
  const auto y = dev_like_labels();
  const auto idx = weighted_draw(class_balance_weights(y, 4, 1.0), 200000, 11);
  for (double f : frequencies(y, idx)) EXPECT_NEAR(f, 0.25, 0.01);
}

TEST(Sampling, PowerZeroKeepsNaturalFrequencies) {
  const auto y = dev_like_labels();
  const auto f = frequencies(y, weighted_draw(class_balance_weights(y, 4, 0.0), 200000, 12));
  EXPECT_NEAR(f[2], 1622.0 / 3325.0, 0.01);
  EXPECT_NEAR(f[3], 16.0 / 3325.0, 0.002);
}

TEST(Sampling, HalfPowerIsBetween) {
  const auto y = dev_like_labels();
  const auto f = frequencies(y, weighted_draw(class_balance_weights(y, 4, 0.5), 200000, 13));
  EXPECT_GT(f[3], 16.0 / 3325.0 * 2);
  EXPECT_LT(f[3], 0.2);
}

TEST(Sampling, MixRatioIsHonoured) {
  const auto real = dev_like_labels();
  std::vector<int> synth(4000);
  for (size_t i = 0; i < synth.size(); ++i) synth[i] = int(i % 4);
  for (double mix : {0.0, 0.1, 0.3, 0.5, 0.7, 1.0}) {
    const EpochPlan p = plan_epoch(real, synth, 4, mix, 3000, 1.0, 5);
    EXPECT_EQ(int64_t(p.synthetic.size()), std::llround(mix * 3000)) << mix;
    EXPECT_EQ(p.real.size() + p.synthetic.size(), 3000u) << mix;
  }
  // Same seed, same plan; another seed, another plan.
  EXPECT_EQ(plan_epoch(real, synth, 4, 0.3, 3000, 1.0, 5).real, plan_epoch(real, synth, 4, 0.3, 3000, 1.0, 5).real);
  EXPECT_NE(plan_epoch(real, synth, 4, 0.3, 3000, 1.0, 5).real, plan_epoch(real, synth, 4, 0.3, 3000, 1.0, 6).real);
  EXPECT_THROW(plan_epoch(real, synth, 4, 1.5, 10, 1.0, 1), std::invalid_argument);
}

TEST(Sampling, ClassSharesFollowThePower) {
  const auto y = dev_like_labels();
  const auto natural = class_shares(y, 4, 0.0), balanced = class_shares(y, 4, 1.0), half = class_shares(y, 4, 0.5);
  EXPECT_NEAR(natural[3], 16.0 / 3325.0, 1e-12);
  for (double s : balanced) EXPECT_NEAR(s, 0.25, 1e-12);
  const double root_sum = std::sqrt(1304.0) + std::sqrt(383.0) + std::sqrt(1622.0) + std::sqrt(16.0);
  EXPECT_NEAR(half[3], 4.0 / root_sum, 1e-12);
  EXPECT_EQ(class_shares({0, 0, 1}, 4, 0.5)[2], 0.0);  // an absent class gets no share
}

// With follow_real the synthetic part has the real part's class shares, whatever
// the pool's own class mix; balanced ignores the real part.
TEST(Sampling, SyntheticClassesCanFollowTheRealPart) {
  const auto real = dev_like_labels();
  std::vector<int> synth;  // a pool with many "both" and few "upper" samples
  const int n[4] = {1000, 200, 1000, 3000};
  for (int c = 0; c < 4; ++c) synth.insert(synth.end(), size_t(n[c]), c);
  const auto target = class_shares(real, 4, 0.5);
  const EpochPlan follow = plan_epoch(real, synth, 4, 0.5, 200000, 0.5, 7, SyntheticClasses::follow_real);
  const auto fs = frequencies(synth, follow.synthetic), fr = frequencies(real, follow.real);
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(fs[c], target[c], 0.01) << c;
    EXPECT_NEAR(fr[c], target[c], 0.01) << c;
  }
  const EpochPlan balanced = plan_epoch(real, synth, 4, 0.5, 200000, 0.5, 7, SyntheticClasses::balanced);
  EXPECT_NEAR(frequencies(synth, balanced.synthetic)[3], class_shares(synth, 4, 0.5)[3], 0.01);
  EXPECT_EQ(follow.real, balanced.real);  // the real part does not change
  // A class the real set lacks comes from the pool as often as the rarest real class (here upper);
  // synthetic only (mix 1) is balanced as before.
  const std::vector<int> no_both(real.begin(), real.end() - 16);
  const auto gap = frequencies(synth, plan_epoch(no_both, synth, 4, 0.5, 200000, 0.5, 7, SyntheticClasses::follow_real).synthetic);
  EXPECT_NEAR(gap[3], gap[1], 0.01);
  EXPECT_GT(gap[3], 0.1);
  EXPECT_EQ(plan_epoch(real, synth, 4, 1.0, 5000, 0.5, 7, SyntheticClasses::follow_real).synthetic,
            plan_epoch(real, synth, 4, 1.0, 5000, 0.5, 7, SyntheticClasses::balanced).synthetic);
  EXPECT_EQ(plan_epoch(std::vector<int>(10, 3), std::vector<int>(10, 0), 4, 0.5, 10, 0.5, 1, SyntheticClasses::follow_real)
                .synthetic.size(), 5u);  // no class in common: the pool's own classes, at the rarest real share
  EXPECT_THROW(parse_synthetic_classes("even"), std::invalid_argument);
  EXPECT_EQ(parse_synthetic_classes(synthetic_classes_name(SyntheticClasses::follow_real)), SyntheticClasses::follow_real);
}

TEST(Sampling, WithoutSyntheticDataEverythingIsReal) {
  const EpochPlan p = plan_epoch(dev_like_labels(), {}, 4, 0.3, 100, 1.0, 1);
  EXPECT_EQ(p.real.size(), 100u);
  EXPECT_TRUE(p.synthetic.empty());
}

// The default epoch keeps the whole real set and puts the mix on top of it: every
// real sample's draw stays, whatever the mix.
TEST(Sampling, DefaultEpochPutsTheMixOnTopOfTheRealSet) {
  const std::vector<int> real = dev_like_labels();
  const std::vector<int> synth(10000, 1);
  for (double mix : {0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99}) {
    const int64_t n = default_epoch_size(int64_t(real.size()), int64_t(synth.size()), mix);
    const EpochPlan p = plan_epoch(real, synth, 4, mix, n, 0.5, 7, SyntheticClasses::follow_real);
    EXPECT_EQ(int64_t(p.real.size()), int64_t(real.size())) << "mix " << mix;
    EXPECT_NEAR(double(p.synthetic.size()) / double(n), mix, 1.0 / double(n)) << "mix " << mix;
  }
  EXPECT_EQ(default_epoch_size(3325, 10000, 0.3), 4750);  // 3325 real + 1425 synthetic
  EXPECT_EQ(default_epoch_size(3325, 10000, 0.0), 3325);
  EXPECT_EQ(default_epoch_size(3325, 0, 0.3), 3325);      // no pool: real only
  EXPECT_EQ(default_epoch_size(3325, 10000, 1.0), 3325);  // synthetic only keeps the real set's size
  EXPECT_EQ(default_epoch_size(0, 10000, 0.3), 10000);
  EXPECT_THROW(default_epoch_size(10, 10, 1.5), std::invalid_argument);
}

}  // namespace
}  // namespace faceocc
