// Calibration of a run's probabilities, measured where the fit cannot flatter it:
// the temperature (learn/temperature.hpp) is fitted on every validation photo for
// the model that ships, and, to measure it, also on each half of them (even and
// odd rows) and applied to the other half, so the NLL and ECE "after" are on
// photos their temperature never saw.
//
// Thread safety: writes its own files (atomically); one call per label and folder.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "faceocc/train/learn/temperature.hpp"

namespace faceocc {

struct CalibrationReport {
  double temperature = 1;                     // fitted on all the photos: the one the model ships with
  double half_temperatures[2] = {1, 1};       // fitted on the even rows, on the odd rows
  long n = 0;                                 // photos
  double nll_before = 0, nll_after = 0;       // mean NLL: raw, and each half under the other half's temperature
  double ece_before = 0, ece_after = 0;       // expected calibration error, 15 bins, the same way
  ProbRows calibrated;                        // the photos' probabilities under `temperature`
};

// requires: at least 2 photos, labels within each row's classes.
// ensures: writes <out>/calibration_<label>.json (the numbers above and the reliability bins)
// and <out>/reliability_<label>.png (accuracy against confidence, before and after).
CalibrationReport write_calibration_report(const ProbRows& probs, const std::vector<int>& labels, const std::string& label,
                                           const std::filesystem::path& out);

}  // namespace faceocc
