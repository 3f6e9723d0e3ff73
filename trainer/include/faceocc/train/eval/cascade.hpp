// The seed's two-stage variant: a binary model decides "occluded or not"; only
// if occluded does the 4-class model say where (its best of upper, lower, both).
//
// Thread safety: a pure function.
#pragma once
#include <vector>

namespace faceocc {

// binary_probs: [N][2] (not occluded, occluded); region_probs: [N][4]. Returns 4-class labels.
std::vector<int> cascade_predict(const std::vector<std::vector<float>>& binary_probs,
                                 const std::vector<std::vector<float>>& region_probs);

}  // namespace faceocc
