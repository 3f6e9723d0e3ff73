// occtrain's job as one library call: load real photos (and occgen output),
// split them by source photo, fine-tune, commit every epoch, choose the best
// model, score it on validation and extra real sets, export it; or K-fold
// cross-validation of the same.
//
//   TrainingRunOptions o;  o.real = {"../shared/data/dev"};  o.out = "runs/r1";
//   const TrainingResult r = run_training(o, log);
//
// Files in `out` (see run_dir.hpp): config.ini, data.json, validation.csv,
// epochs/NNN/ (one commit per epoch; --resume continues from the last),
// metrics.jsonl, last.pt, best.pt + best.json (which epoch and why),
// confusion_val.csv/.png, errors_val.png (the best model's validation
// mistakes), classes.png (what the model sees per class), final.json,
// calibration_val.json + reliability_val.png (the temperature), thresholds_val.md +
// roc_val.csv/.png, operating_point.json (the shipped threshold),
// model.torchscript.pt, model.onnx (both calibrated; the ONNX carries the threshold); with folds, foldK/ runs, folds.json and
// review.csv/.png (photos whose out-of-fold prediction contradicts their
// label: likely label errors). Every file is written atomically.
//
// Thread safety: one call per run folder at a time.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "faceocc/classes.hpp"
#include "faceocc/train/learn/best_epoch.hpp"
#include "faceocc/train/data/jpeg_augment.hpp"
#include "faceocc/train/learn/metrics.hpp"
#include "faceocc/train/model/occlusion_net.hpp"
#include "faceocc/train/learn/train_loop.hpp"

namespace faceocc {

struct TrainingRunOptions {
  std::vector<std::filesystem::path> real;       // ROOT/<class>/* folders or path,class CSVs (required)
  std::vector<std::filesystem::path> synthetic;  // occgen output folders with aligned112/
  std::vector<std::filesystem::path> evals;      // extra real sets scored with the best model
  std::filesystem::path out;                     // run folder (required)
  std::filesystem::path weights;                 // pretrained TF.js model.json
  std::filesystem::path cache, detector;         // aligned-crop cache, BlazeFace models
  std::filesystem::path init;                    // start from this checkpoint ("" = pretrained backbone)
  bool from_scratch = false;                     // random backbone (ablation)
  FeatureTap tap = FeatureTap::Map7;
  Task task = Task::Region;
  TrainOptions train;                            // epochs, batch, loss, schedule, seed, device...
  JpegAugmentOptions jpeg;                       // jpeg.p = 0: off
  double val_split = 0.2;                        // share of real photos held out, by source photo
  int64_t split_seed = -1;                       // -1: train.seed
  int folds = 1;                                 // > 1: K-fold cross-validation
  int threads = 0;                               // data loading threads (0 = all)
  BestRule best = BestRule::Guarded;
  std::filesystem::path exclude;                 // photos to leave out of training and validation (one path per
                                                 // line, or a CSV whose first column is the path, e.g. review.csv)
  int gallery = 24;                              // mistakes per cell in errors_val.png (0 = none)
  double max_false_reject = 0.02;                // the operating point: share of clean validation faces the shipped
                                                 // threshold may reject (operating_point.json, model.onnx metadata)
  double review_max_given = 0.2;                 // --folds review list: the given label's out-of-fold probability at most this
  double review_min_other = 0.6;                 // ... while another class gets at least this
  bool resume = false;                           // continue `out` from its last committed epoch
  bool split_only = false;                       // write train.csv and validation.csv, then stop
  // --mix was typed (command line, or a --config the user named): without usable synthetic
  // data that is an error (check_training_options), not a silent fall back to real only.
  bool mix_given = false;
  // The options as config.ini lines, in order. --resume refuses a run whose
  // saved lines differ, except for the keys in resume_free_keys.
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<std::string> resume_free_keys = {"resume", "out", "threads", "device", "config", "eval", "cache", "detector", "gallery"};
};

struct TrainingResult {
  Metrics validation;  // the best model on the validation photos (folds: the last fold's)
  int best_epoch = 0;
  std::vector<Metrics> folds;  // per fold, with folds > 1
  std::string summary;         // one line for people
};

// Throws std::invalid_argument naming the option when options are out of range
// or inconsistent, or when `out` holds a run that is not being resumed (or is
// resumed with other settings): nothing is written then.
void check_training_options(const TrainingRunOptions& o);

// requires: check_training_options(o) passes (it is called again).
// Throws std::runtime_error on data problems (too few usable photos, leaked
// validation photos, an unreadable checkpoint). `log` gets progress lines.
TrainingResult run_training(const TrainingRunOptions& o, const std::function<void(const std::string&)>& log);

}  // namespace faceocc
