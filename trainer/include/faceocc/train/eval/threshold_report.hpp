// What a threshold does on scored photos, for the app teams who ship one: the
// ROC curve of "covered" (1 - p(none)) against clean faces, overall and per
// covered class, with AUC and its DeLong interval, and the threshold table at
// clean-face false-reject rates of 0.5, 1, 2 and 5 % (operating_points.hpp).
//
// Thread safety: writes its own files (atomically); one call per label and folder.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "faceocc/check/covered_threshold.hpp"

#include "faceocc/train/eval/evaluation.hpp"

namespace faceocc {

// requires: a 4-class (region) model's scores with clean and covered photos among them.
// ensures: writes <out>/roc_<label>.csv (curve, threshold, clean rejected, caught),
// <out>/roc_<label>.png (the curves where clean rejects stay under 10 %),
// <out>/det_<label>.png (the DET curves: both error rates on the normal deviate scale) and
// <out>/thresholds_<label>.md; returns that Markdown. Returns "" (writing nothing)
// when the scores are not a region model's or lack clean or covered photos.
std::string write_threshold_report(const ModelScores& s, const std::filesystem::path& out);

// The operating point a run ships (covered_threshold.hpp), chosen on these scores (calibrated
// probabilities): the threshold at `max_false_reject` of the clean faces, plus the thresholds at
// 0.5, 1, 2, 5 and 10 % for `--operating-point RATE%`.
// requires: 0 < max_false_reject < 1.
// ensures: writes <out>/operating_point.json: "metadata" (the keys model.onnx carries), and what
// it measured on these photos: clean faces rejected and each covered class caught, with Wilson
// intervals, the same at the most probable class, and how many verdicts differ between the two.
// Returns nullopt, writing nothing, when the scores are not a region model's or lack clean or
// covered photos.
std::optional<CoveredThreshold> write_operating_point(const ModelScores& s, double max_false_reject, double temperature,
                                                      const std::filesystem::path& out);

}  // namespace faceocc
