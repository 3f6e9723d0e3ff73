// Oversampling converges to balanced classes; the synthetic mix is exact.
#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "faceocc/train/sampling.hpp"

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

TEST(Sampling, WithoutSyntheticDataEverythingIsReal) {
  const EpochPlan p = plan_epoch(dev_like_labels(), {}, 4, 0.3, 100, 1.0, 1);
  EXPECT_EQ(p.real.size(), 100u);
  EXPECT_TRUE(p.synthetic.empty());
}

}  // namespace
}  // namespace faceocc
