// Confusion matrix and metrics on a hand-made example.
#include <gtest/gtest.h>

#include "faceocc/train/learn/metrics.hpp"

namespace faceocc {
namespace {

TEST(Metrics, HandMadeExample) {
  // truth:     0 0 0 1 1 2 2 2 2 3
  // predicted: 0 0 1 1 2 2 2 2 0 3
  const Metrics m = compute_metrics({0, 0, 0, 1, 1, 2, 2, 2, 2, 3}, {0, 0, 1, 1, 2, 2, 2, 2, 0, 3}, 4);
  EXPECT_EQ(m.confusion[0], (std::vector<long>{2, 1, 0, 0}));
  EXPECT_EQ(m.confusion[2], (std::vector<long>{1, 0, 3, 0}));
  EXPECT_DOUBLE_EQ(m.accuracy, 0.7);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[1].recall, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[2].precision, 0.75);
  EXPECT_DOUBLE_EQ(m.per_class[2].recall, 0.75);
  EXPECT_DOUBLE_EQ(m.per_class[3].f1, 1.0);
  EXPECT_EQ(m.per_class[2].support, 4);
  EXPECT_DOUBLE_EQ(m.macro_f1, (2.0 / 3.0 + 0.5 + 0.75 + 1.0) / 4.0);
  const std::string csv = confusion_csv(m, {"0_0_0", "1_1_0", "1_0_1", "1_1_1"});
  EXPECT_EQ(csv, "true\\pred,0_0_0,1_1_0,1_0_1,1_1_1\n0_0_0,2,1,0,0\n1_1_0,0,1,1,0\n1_0_1,1,0,3,0\n1_1_1,0,0,0,1\n");
}

TEST(Metrics, AbsentClassHasZeroScoresNotNaN) {
  const Metrics m = compute_metrics({0, 0}, {0, 0}, 3);
  EXPECT_EQ(m.per_class[1].precision, 0);
  EXPECT_EQ(m.per_class[1].f1, 0);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
}

TEST(Metrics, MismatchedSizesThrow) {
  EXPECT_THROW(compute_metrics({0, 1}, {0}, 2), std::invalid_argument);
  EXPECT_THROW(compute_metrics({0, 5}, {0, 0}, 2), std::invalid_argument);
}

}  // namespace
}  // namespace faceocc
