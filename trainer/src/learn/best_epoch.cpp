#include "faceocc/train/learn/best_epoch.hpp"

#include <cstdio>

#include "faceocc/train/learn/metrics.hpp"
#include "faceocc/train/learn/paired_test.hpp"

namespace faceocc {

std::optional<BestRule> best_rule_from_string(const std::string& s) {
  for (BestRule r : {BestRule::Guarded, BestRule::Accuracy, BestRule::MacroF1, BestRule::Last})
    if (s == best_rule_string(r)) return r;
  return std::nullopt;
}

const char* best_rule_string(BestRule r) {
  switch (r) {
    case BestRule::Guarded: return "guarded";
    case BestRule::Accuracy: return "accuracy";
    case BestRule::MacroF1: return "macro_f1";
    case BestRule::Last: return "last";
  }
  return "?";
}

namespace {

// 1-based epoch with the highest accuracy; ties go to the later epoch.
int most_accurate(const std::vector<int>& labels, const std::vector<std::vector<int>>& pred, int classes) {
  int best = 1;
  double acc = -1;
  for (size_t e = 0; e < pred.size(); ++e) {
    const double a = compute_metrics(labels, pred[e], classes).accuracy;
    if (a >= acc) acc = a, best = int(e) + 1;
  }
  return best;
}

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char s[200];
  std::snprintf(s, sizeof s, f, a, b, c);
  return s;
}

}  // namespace

BestChoice choose_best_epoch(const std::vector<int>& labels, const std::vector<std::vector<int>>& pred, int classes,
                             BestRule rule, double alpha) {
  const int last = int(pred.size());
  if (last == 0) return {0, "no epochs"};
  if (labels.empty() || rule == BestRule::Last) return {last, "the last epoch"};
  if (rule == BestRule::MacroF1) {  // the earlier rule: the first epoch with the highest macro-F1
    int best = 1;
    double f1 = -1;
    for (int e = 1; e <= last; ++e)
      if (const double f = compute_metrics(labels, pred[size_t(e - 1)], classes).macro_f1; f > f1) f1 = f, best = e;
    return {best, fmt("highest validation macro-F1 (%.4f)", f1)};
  }
  const int top = most_accurate(labels, pred, classes);
  const double top_acc = compute_metrics(labels, pred[size_t(top - 1)], classes).accuracy;
  if (rule == BestRule::Accuracy || top == last) return {top, fmt("highest validation accuracy (%.4f)", top_acc)};
  const McNemarResult t = mcnemar_exact(correct_predictions(labels, pred[size_t(last - 1)]),
                                         correct_predictions(labels, pred[size_t(top - 1)]));
  if (t.p_value < alpha)
    return {top, fmt("epoch accuracy %.4f beats the last epoch's on the same photos (McNemar p = %.3g)", top_acc, t.p_value)};
  return {last, fmt("the last epoch: the most accurate epoch (%.4f) is not significantly better (McNemar p = %.3g, %g photos differ)",
                    top_acc, t.p_value, double(t.a_only + t.b_only))};
}

std::set<int> epochs_to_keep(const std::vector<int>& labels, const std::vector<std::vector<int>>& pred, int classes, int chosen) {
  if (pred.empty()) return {};
  std::set<int> keep{int(pred.size()), chosen};
  if (!labels.empty()) keep.insert(most_accurate(labels, pred, classes));
  return keep;
}

}  // namespace faceocc
