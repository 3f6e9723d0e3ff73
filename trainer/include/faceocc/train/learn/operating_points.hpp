// Thresholds an app can ship: ROC curves of a "covered" score against clean
// faces, their AUC with a DeLong interval, and operating points: the threshold
// at which at most a given share of clean faces is rejected (false rejects), and
// what share of each covered class it then catches, with Wilson intervals.
//
// A photo is called covered when its score >= the threshold (the score is
// 1 - p(none) for a 4-class model). Ties are never split: a threshold either
// takes every photo of one score or none of them.
//
// Thread safety: pure functions.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

struct RocPoint {
  double threshold = 0;        // called positive when score >= threshold
  double false_positive = 0;   // share of negatives at or above it (clean faces rejected)
  double true_positive = 0;    // share of positives at or above it (covered faces caught)
};

// requires: scores.size() == positive.size(), at least one positive and one negative.
// ensures: one point per distinct score, thresholds falling, from (0, 0) (threshold above every
// score) to (1, 1); throws std::invalid_argument otherwise.
std::vector<RocPoint> roc_curve(const std::vector<double>& scores, const std::vector<bool>& positive);

struct Auc {
  double value = 0, low = 0, high = 0;  // area (ties count one half) and its 95 % DeLong interval (clamped to [0, 1])
};
// requires: as roc_curve.
Auc roc_auc(const std::vector<double>& scores, const std::vector<bool>& positive);

// The lowest threshold that rejects at most floor(rate * n) of the `clean` scores (a tie at the
// boundary is kept whole on the accepted side). requires: clean non-empty, 0 <= rate < 1.
double threshold_at_false_reject(const std::vector<double>& clean, double rate);

struct Proportion {
  long k = 0, n = 0;
  double value = 0, low = 0, high = 0;  // k / n and its 95 % Wilson interval (0, 0, 1 when n = 0)
};
Proportion wilson(long k, long n);

// One row of the threshold table: the target false-reject rate, the threshold it gives on these
// clean faces, the false-reject rate measured, and the share caught of each positive group.
struct OperatingPoint {
  double target = 0, threshold = 0;
  Proportion false_reject;
  std::vector<std::pair<std::string, Proportion>> caught;  // group name -> caught
};

// requires: clean non-empty; each group's scores are the covered faces of that group.
std::vector<OperatingPoint> operating_points(const std::vector<double>& clean,
                                             const std::vector<std::pair<std::string, std::vector<double>>>& groups,
                                             const std::vector<double>& targets = {0.005, 0.01, 0.02, 0.05});

// The table as Markdown (threshold, false rejects k/n, each group's caught share [interval] k/n).
std::string format_operating_points(const std::vector<OperatingPoint>& points);

}  // namespace faceocc
