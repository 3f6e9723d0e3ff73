// What a threshold does on scored photos, for the app teams who ship one: the
// ROC curve of "covered" (1 - p(none)) against clean faces, overall and per
// covered class, with AUC and its DeLong interval, and the threshold table at
// clean-face false-reject rates of 0.5, 1, 2 and 5 % (operating_points.hpp).
//
// Thread safety: writes its own files (atomically); one call per label and folder.
#pragma once
#include <filesystem>
#include <string>

#include "faceocc/train/eval/evaluation.hpp"

namespace faceocc {

// requires: a 4-class (region) model's scores with clean and covered photos among them.
// ensures: writes <out>/roc_<label>.csv (curve, threshold, clean rejected, caught),
// <out>/roc_<label>.png (the curves where clean rejects stay under 10 %) and
// <out>/thresholds_<label>.md; returns that Markdown. Returns "" (writing nothing)
// when the scores are not a region model's or lack clean or covered photos.
std::string write_threshold_report(const ModelScores& s, const std::filesystem::path& out);

}  // namespace faceocc
