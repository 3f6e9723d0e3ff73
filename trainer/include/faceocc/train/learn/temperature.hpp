// Calibration by temperature scaling (Guo et al. 2017): one scalar T > 0 that
// divides the logits, fitted by the negative log-likelihood of the true class on
// held-out photos. It changes how confident the probabilities are, never which
// class is most probable. Works on probabilities (log p are the logits up to a
// per-row constant, which softmax ignores), so any scored set can be calibrated.
// Also the measures: NLL and expected calibration error (ECE) with its
// reliability bins.
//
// Thread safety: pure functions.
#pragma once
#include <vector>

namespace faceocc {

using ProbRows = std::vector<std::vector<float>>;  // one row of class probabilities per photo

// requires: probs.size() == labels.size() > 0, every label a column of its row.
// ensures: the T in [0.05, 20] that minimises mean_nll(apply_temperature(probs, T), labels)
// (the NLL is convex in 1 / T; found to a relative 1e-6). A set the model gets all right keeps
// lowering its NLL as T falls, so it ends at the bound 0.05: fit on a set with mistakes in it.
double fit_temperature(const ProbRows& probs, const std::vector<int>& labels);

// softmax(log p / T) per row (probabilities at 0 count as 1e-12). requires: T > 0.
ProbRows apply_temperature(const ProbRows& probs, double temperature);

// Mean -log p(true class) (p floored at 1e-12).
double mean_nll(const ProbRows& probs, const std::vector<int>& labels);

struct ReliabilityBin {
  double low = 0, high = 0;   // confidence range [low, high)
  long n = 0;                 // photos whose top probability falls in it
  double confidence = 0;      // their mean top probability
  double accuracy = 0;        // share of them whose top class is the label
};
struct Reliability {
  std::vector<ReliabilityBin> bins;
  double ece = 0;  // sum over bins of n / N * |accuracy - confidence|
};
// requires: as fit_temperature; bins >= 1 (equal width over [0, 1]).
Reliability reliability(const ProbRows& probs, const std::vector<int>& labels, int bins = 15);

}  // namespace faceocc
