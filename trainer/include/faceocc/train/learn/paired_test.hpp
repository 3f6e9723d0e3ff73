// Is model B really better than model A on the same images? McNemar's exact
// test looks only at the images where exactly one of them is right: under
// "equally good" each such image is a fair coin, so the count B wins is
// Binomial(b + c, 1/2). Paired, exact for the small counts a fixed real
// evaluation set gives, and about accuracy, the number users feel.
//
// Thread safety: a pure function.
#pragma once
#include <vector>

namespace faceocc {

struct McNemarResult {
  long a_only = 0;       // images A gets right and B wrong
  long b_only = 0;       // images B gets right and A wrong
  double p_value = 1.0;  // exact two-sided
};

McNemarResult mcnemar_exact(const std::vector<bool>& a_correct, const std::vector<bool>& b_correct);

// Per image, whether the prediction is right: what mcnemar_exact takes.
// requires: one prediction per truth.
std::vector<bool> correct_predictions(const std::vector<int>& truth, const std::vector<int>& predicted);

}  // namespace faceocc
