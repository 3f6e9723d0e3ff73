// The operating point an app ships with a model: a face is "covered" (ask for a
// retake) when its covered score, 1 - p(none), reaches a threshold that occtrain
// chose on validation photos for a target share of clean faces rejected (false
// rejects). Which part to uncover still comes from the class probabilities: the
// most probable covered class. Without a threshold the most probable class decides.
//
// occtrain stores it in model.onnx's metadata and in the run folder's
// operating_point.json (the same keys); occpredict and occcheck read it from
// there and decide with decide() alike. `--operating-point` overrides it.
//
// Thread safety: plain values and pure functions.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

struct CoveredThreshold {
  double threshold = 0.5;     // covered when 1 - p(none) >= threshold
  double false_reject = 0;    // the clean-face false-reject rate it was chosen for (0: given by hand)
  long clean_faces = 0;       // how many clean validation faces it was chosen on (0: given by hand)
  double temperature = 1;     // the calibration folded into the model's probabilities (informative)
  std::vector<std::pair<double, double>> by_rate;  // (false-reject rate, threshold) on the same faces
};

// The metadata keys: covered_threshold, covered_threshold_false_reject,
// covered_threshold_clean_faces, covered_thresholds_by_false_reject ("0.01:0.87,0.02:0.71"),
// temperature.
std::map<std::string, std::string> threshold_metadata(const CoveredThreshold& t);
// What an exported model carries: the operating point's keys when there is one, else the temperature alone.
std::map<std::string, std::string> model_metadata(const std::optional<CoveredThreshold>& t, double temperature);

// ensures: nullopt when `meta` has no covered_threshold (a model exported before operating points).
// Throws std::runtime_error naming `where` when a value is malformed or out of range.
std::optional<CoveredThreshold> threshold_from_metadata(const std::map<std::string, std::string>& meta, const std::string& where);

// --operating-point VALUE: "" (the stored one), "argmax" (the most probable class, nullopt), a threshold in (0, 1)
// ("0.62"), or a false-reject rate the model stores a threshold for ("1%"). Throws
// std::invalid_argument saying why (a rate the model has no threshold for lists the ones it has).
std::optional<CoveredThreshold> resolve_operating_point(const std::string& value, const std::optional<CoveredThreshold>& stored);

// "covered when 1 - p(none) >= 0.71 (chosen to reject at most 2 % of 301 clean validation faces),
// temperature 1.4" or
// "most probable class (no operating point)".
std::string describe(const std::optional<CoveredThreshold>& t);

}  // namespace faceocc
