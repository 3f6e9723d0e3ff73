// Operating points on score lists made by hand: ROC points and AUC as counted
// by hand, the DeLong interval around a known AUC, the threshold at a false-
// reject rate exact with ties, and Wilson intervals against textbook values.
#include <gtest/gtest.h>

#include "faceocc/train/learn/operating_points.hpp"

namespace faceocc {
namespace {

TEST(OperatingPoints, RocPointsAndAucCountedByHand) {
  // Positives 0.9, 0.6, 0.6; negatives 0.8, 0.6, 0.1. Pairs won: 0.9 beats all 3; each 0.6 beats 0.1,
  // ties 0.6 (1/2), loses to 0.8: 1.5 each. AUC = (3 + 1.5 + 1.5) / 9 = 2/3.
  const std::vector<double> s{0.9, 0.8, 0.6, 0.6, 0.6, 0.1};
  const std::vector<bool> pos{true, false, true, true, false, false};
  const auto roc = roc_curve(s, pos);
  ASSERT_EQ(roc.size(), 5u);  // +inf, 0.9, 0.8, 0.6 (the tie moves together), 0.1
  EXPECT_EQ(roc[0].false_positive, 0);
  EXPECT_EQ(roc[0].true_positive, 0);
  EXPECT_DOUBLE_EQ(roc[1].true_positive, 1.0 / 3);
  EXPECT_DOUBLE_EQ(roc[2].false_positive, 1.0 / 3);
  EXPECT_DOUBLE_EQ(roc[3].threshold, 0.6);
  EXPECT_DOUBLE_EQ(roc[3].true_positive, 1.0);
  EXPECT_DOUBLE_EQ(roc[3].false_positive, 2.0 / 3);
  EXPECT_DOUBLE_EQ(roc[4].false_positive, 1.0);
  const Auc a = roc_auc(s, pos);
  EXPECT_DOUBLE_EQ(a.value, 2.0 / 3);
  EXPECT_LT(a.low, a.value);
  EXPECT_GT(a.high, a.value);
  EXPECT_THROW(roc_curve({0.1, 0.2}, {true, true}), std::invalid_argument);
}

TEST(OperatingPoints, DeLongIntervalNarrowsWithMorePhotosAndCoversTheTruth) {
  // Scores from two interleaved ladders: positives i + 0.5, negatives i, i = 0..n-1. AUC = (n + 1) / 2n... counted:
  // positive k beats negatives 0..k -> k + 1 wins; total n(n+1)/2 of n^2.
  for (int n : {10, 100}) {
    std::vector<double> s;
    std::vector<bool> p;
    for (int i = 0; i < n; ++i) s.push_back(i + 0.5), p.push_back(true), s.push_back(i), p.push_back(false);
    const Auc a = roc_auc(s, p);
    EXPECT_NEAR(a.value, (n + 1.0) / (2.0 * n), 1e-12);
    EXPECT_LE(a.low, a.value);
    EXPECT_GE(a.high, a.value);
    if (n == 100) EXPECT_LT(a.high - a.low, 0.25);
  }
}

TEST(OperatingPoints, ThresholdAtAFalseRejectRateIsExactWithTies) {
  const std::vector<double> clean{0.9, 0.8, 0.8, 0.5, 0.1, 0.05, 0.05, 0.02, 0.01, 0.0};  // n = 10
  auto rejected = [&](double t) { return std::count_if(clean.begin(), clean.end(), [&](double x) { return x >= t; }); };
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.0)), 0);
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.1)), 1);   // 0.9 alone
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.2)), 1);   // two allowed, but the 0.8 tie cannot be split
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.3)), 3);   // 0.9 and both 0.8
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.5)), 5);   // five allowed: down to 0.1; the 0.05 tie kept out
  EXPECT_EQ(rejected(threshold_at_false_reject(clean, 0.6)), 5);   // six allowed, but the 0.05 tie (the 6th and 7th) cannot be split
  EXPECT_GT(threshold_at_false_reject(clean, 0.3), 0.5);           // the lowest such threshold: just above 0.5
  EXPECT_LT(threshold_at_false_reject(clean, 0.3), 0.8);
  EXPECT_THROW(threshold_at_false_reject({}, 0.1), std::invalid_argument);
  EXPECT_THROW(threshold_at_false_reject(clean, 1.0), std::invalid_argument);
}

TEST(OperatingPoints, WilsonIntervalsAndTheTable) {
  const Proportion w = wilson(8, 10);  // textbook: 0.8 [0.490, 0.943]
  EXPECT_NEAR(w.low, 0.490, 0.001);
  EXPECT_NEAR(w.high, 0.943, 0.001);
  const Proportion z = wilson(0, 20);
  EXPECT_EQ(z.low, 0.0);
  EXPECT_NEAR(z.high, 0.161, 0.001);
  const std::vector<double> clean{0.9, 0.8, 0.2, 0.1};
  const auto ops = operating_points(clean, {{"upper", {0.95, 0.85, 0.5}}, {"lower", {0.7}}}, {0.25, 0.5});
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].false_reject.k, 1);        // 0.9
  EXPECT_EQ(ops[0].caught[0].second.k, 2);    // above 0.8: 0.95 and 0.85
  EXPECT_EQ(ops[1].false_reject.k, 2);
  EXPECT_EQ(ops[1].caught[0].second.k, 3);    // above 0.2: all three
  EXPECT_EQ(ops[1].caught[1].second.k, 1);
  const std::string md = format_operating_points(ops);
  EXPECT_NE(md.find("| 25.0 % |"), std::string::npos) << md;
  EXPECT_NE(md.find("upper caught"), std::string::npos) << md;
}

}  // namespace
}  // namespace faceocc
