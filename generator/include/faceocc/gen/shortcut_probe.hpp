// Does a generated set carry a shortcut? A small probe tries to tell clean
// (0_0_0) samples from occluded ones using only what lies outside the
// occluders: every sample has its own occluder mask blanked out and, so that
// blanking says nothing about the class, the mask of a random sample of the
// other group too. On what is left it measures image statistics a processing
// difference would show in (light, colour, sharpness, noise, JPEG blocking)
// and fits a logistic regression, scored by K-fold cross-validation.
// 0.5 = no shortcut; well above it = clean and occluded samples were made
// differently. Thread safety: pure (reads files only).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace faceocc {

struct ShortcutProbeOptions {
  int per_group = 400;  // clean and occluded samples used (each at most)
  int folds = 5;
  uint64_t seed = 1;
};

struct ShortcutProbeReport {
  int clean = 0, occluded = 0;
  double accuracy = 0, accuracy_sd = 0;  // mean and sd over folds
  std::vector<std::string> features;
  std::vector<double> weights;           // of the model fitted on everything (standardised features)
};

// requires: an occgen output folder with manifest.csv, <class>/<id>.jpg and masks/<id>.png.
// Throws std::runtime_error naming the folder when they are missing.
ShortcutProbeReport probe_shortcuts(const std::filesystem::path& occgen_dir, const ShortcutProbeOptions& opt = {});

}  // namespace faceocc
