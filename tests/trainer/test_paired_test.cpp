// McNemar's exact test against binomial tails worked out by hand, and the
// binary -> region cascade on a hand-made example.
#include <gtest/gtest.h>

#include "faceocc/train/eval/cascade.hpp"
#include "faceocc/train/learn/paired_test.hpp"

namespace faceocc {
namespace {

// Two models scored on the same images: `a_only` images only A gets right,
// `b_only` only B, `both` both right, `neither` neither.
McNemarResult run(int a_only, int b_only, int both, int neither) {
  std::vector<bool> a, b;
  for (int i = 0; i < a_only; ++i) { a.push_back(true); b.push_back(false); }
  for (int i = 0; i < b_only; ++i) { a.push_back(false); b.push_back(true); }
  for (int i = 0; i < both; ++i) { a.push_back(true); b.push_back(true); }
  for (int i = 0; i < neither; ++i) { a.push_back(false); b.push_back(false); }
  return mcnemar_exact(a, b);
}

TEST(McNemar, HandComputedTails) {
  // 1 vs 6 disagreements: P(X <= 1 | n=7) = (1 + 7) / 128; two-sided = 0.125.
  const McNemarResult r = run(1, 6, 30, 5);
  EXPECT_EQ(r.a_only, 1);
  EXPECT_EQ(r.b_only, 6);
  EXPECT_NEAR(r.p_value, 0.125, 1e-12);
  // 0 vs 10: 2 / 1024.
  EXPECT_NEAR(run(0, 10, 3, 3).p_value, 2.0 / 1024.0, 1e-12);
  // 2 vs 9: 2 * (1 + 11 + 55) / 2048.
  EXPECT_NEAR(run(2, 9, 0, 0).p_value, 2.0 * 67.0 / 2048.0, 1e-12);
  // The test is symmetric in A and B.
  EXPECT_NEAR(run(9, 2, 0, 0).p_value, run(2, 9, 0, 0).p_value, 1e-15);
}

TEST(McNemar, NoEvidenceGivesOne) {
  EXPECT_EQ(run(0, 0, 50, 10).p_value, 1.0);  // identical predictions
  EXPECT_EQ(run(4, 4, 10, 0).p_value, 1.0);   // 2 * P(X <= 4 | n=8) > 1 is capped
}

TEST(McNemar, LargeCountsStayFinite) {
  const McNemarResult r = run(1000, 1150, 5000, 100);  // log-space sums: no overflow
  EXPECT_GT(r.p_value, 0.0);
  EXPECT_LT(r.p_value, 0.01);
  EXPECT_GT(run(1000, 1010, 0, 0).p_value, 0.5);
}

TEST(McNemar, DifferentImageCountsThrow) {
  EXPECT_THROW(mcnemar_exact({true, false}, {true}), std::invalid_argument);
}

TEST(Cascade, BinaryGatesTheRegionModel) {
  const std::vector<std::vector<float>> bin = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.3f, 0.7f}, {0.6f, 0.4f}};
  // Region model alone would say: both, none (!), lower, upper.
  const std::vector<std::vector<float>> reg = {
      {0.1f, 0.1f, 0.1f, 0.7f}, {0.6f, 0.3f, 0.05f, 0.05f}, {0.1f, 0.2f, 0.6f, 0.1f}, {0.2f, 0.5f, 0.2f, 0.1f}};
  // Not occluded -> none; occluded -> the best of upper/lower/both, never none.
  EXPECT_EQ(cascade_predict(bin, reg), (std::vector<int>{0, 1, 2, 0}));
  EXPECT_THROW(cascade_predict(bin, {reg[0]}), std::invalid_argument);
  EXPECT_THROW(cascade_predict(reg, reg), std::invalid_argument);  // first model must be binary
}

}  // namespace
}  // namespace faceocc
