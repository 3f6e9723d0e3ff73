// Which epoch's weights become a run's best.pt.
//
// Validation sets here are small and lopsided (a few "both" photos among
// hundreds), so a rule on macro-F1 lets one photo swing the choice. The default
// rule (guarded) takes the epoch with the highest validation accuracy (ties:
// the later epoch) only when it is right on significantly more of the same
// photos than the last epoch (McNemar exact, p < alpha); in doubt it keeps the
// last epoch, which has seen the whole schedule.
//
// Thread safety: pure functions.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faceocc {

enum class BestRule { Guarded, Accuracy, MacroF1, Last };

std::optional<BestRule> best_rule_from_string(const std::string& s);  // guarded | accuracy | macro_f1 | last
const char* best_rule_string(BestRule r);

struct BestChoice {
  int epoch = 0;    // 1-based; 0 when there are no epochs
  std::string why;  // one line for logs and best.json
};

// requires: every predicted_by_epoch[e] has one class per entry of `labels`.
// Without validation photos (labels empty) the last epoch is chosen.
BestChoice choose_best_epoch(const std::vector<int>& labels, const std::vector<std::vector<int>>& predicted_by_epoch,
                             int num_classes, BestRule rule, double alpha = 0.05);

// The epochs whose weights a later choice may still need, whatever epochs
// follow: the last, the current choice (`chosen`, from choose_best_epoch) and
// the most accurate so far.
std::set<int> epochs_to_keep(const std::vector<int>& labels, const std::vector<std::vector<int>>& predicted_by_epoch,
                             int num_classes, int chosen);

}  // namespace faceocc
