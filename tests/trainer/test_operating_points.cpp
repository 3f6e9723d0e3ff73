// Operating points on score lists made by hand: ROC points and AUC as counted
// by hand, the DeLong interval around a known AUC, the threshold at a false-
// reject rate exact with ties, Wilson intervals against textbook values, and the
// operating point a run ships, with what it changes from the most probable class.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/train/eval/threshold_report.hpp"
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

TEST(ThresholdReport, TheShippedOperatingPointCountedByHand) {
  // Ten clean faces, p(none) 0.99 .. 0.3: at 10 % one may be rejected, so the threshold lies just
  // above the second-highest covered score (0.4) and only the 0.3 face (covered 0.7) is rejected.
  ModelScores s;
  s.label = "val";
  for (float p0 : {0.99f, 0.97f, 0.95f, 0.9f, 0.85f, 0.8f, 0.75f, 0.7f, 0.6f, 0.3f}) s.probs.push_back({p0, 1 - p0, 0, 0}), s.truth.push_back(0);
  const std::vector<std::pair<int, std::vector<float>>> covered{
      {1, {0.45f, 0.55f, 0, 0}},   // upper at argmax and at the threshold
      {1, {0.55f, 0.45f, 0, 0}},   // none at argmax; covered 0.45 >= 0.4: upper (changed)
      {1, {0.8f, 0.2f, 0, 0}},     // missed by both
      {2, {0.35f, 0.05f, 0.6f, 0}},
      {2, {0.58f, 0.1f, 0.32f, 0}},  // none at argmax; covered 0.42: lower (changed)
      {3, {0.1f, 0.2f, 0.2f, 0.5f}}};
  for (const auto& [t, p] : covered) s.probs.push_back(p), s.truth.push_back(t);
  const auto d = std::filesystem::temp_directory_path() / ("faceocc_op_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  const auto op = write_operating_point(s, 0.1, 1.3, d);
  ASSERT_TRUE(op);
  EXPECT_GT(op->threshold, 1 - double(0.6f));
  EXPECT_LE(op->threshold, 1 - double(0.6f) + 1e-12);
  EXPECT_EQ(op->clean_faces, 10);
  EXPECT_DOUBLE_EQ(op->temperature, 1.3);
  ASSERT_EQ(op->by_rate.size(), 5u);  // 0.5, 1, 2, 5 and 10 %; 10 % is the chosen one
  EXPECT_GT(op->by_rate[0].second, 1 - double(0.3f));  // at 0.5 % none may be rejected: above the highest clean score
  EXPECT_DOUBLE_EQ(op->by_rate[4].second, op->threshold);
  std::ifstream in(d / "operating_point.json");
  const auto j = nlohmann::json::parse(in);
  auto k_of = [](const nlohmann::json& p) { return std::to_string(p["k"].get<long>()) + "/" + std::to_string(p["n"].get<long>()); };
  EXPECT_EQ(k_of(j["measured"]["false_reject"]), "1/10");
  EXPECT_EQ(k_of(j["measured"]["caught"]["covered"]), "5/6");
  EXPECT_EQ(k_of(j["measured"]["caught"]["upper"]), "2/3");
  EXPECT_EQ(k_of(j["measured"]["caught"]["lower"]), "2/2");
  EXPECT_EQ(k_of(j["argmax"]["false_reject"]), "1/10");
  EXPECT_EQ(k_of(j["argmax"]["caught"]["covered"]), "3/6");
  EXPECT_EQ(k_of(j["argmax"]["caught"]["lower"]), "1/2");
  EXPECT_EQ(k_of(j["verdicts_changed_from_argmax"]), "2/16");
  EXPECT_EQ(j["metadata"]["covered_threshold_clean_faces"], "10");
  // The report's curves: ROC and DET pictures, the table.
  EXPECT_NE(write_threshold_report(s, d).find("| 5.0 % |"), std::string::npos);
  for (const char* f : {"roc_val.png", "det_val.png", "roc_val.csv", "thresholds_val.md"}) EXPECT_TRUE(std::filesystem::exists(d / f)) << f;
  // A binary model's scores, or no clean face: no operating point, nothing written.
  std::filesystem::remove(d / "operating_point.json");
  ModelScores b = s;
  b.task = Task::Binary;
  EXPECT_FALSE(write_operating_point(b, 0.1, 1, d));
  EXPECT_FALSE(std::filesystem::exists(d / "operating_point.json"));
  EXPECT_THROW(write_operating_point(s, 0, 1, d), std::invalid_argument);
  std::filesystem::remove_all(d);
}

}  // namespace
}  // namespace faceocc
