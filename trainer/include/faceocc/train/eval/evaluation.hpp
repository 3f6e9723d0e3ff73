// Scoring exported models (TorchScript, as occtrain writes them) on real
// labelled photos, and the decisions built on the scores: is B better than A
// (compare: McNemar's exact test on the same photos), does a binary model in
// front of a 4-class one help (cascade).
//
//   EvaluateOptions o;  o.models = {"runs/A", "runs/B"};  o.real = {"../shared/data/dev"};
//   o.mode = EvaluateOptions::Mode::Compare;  const Evaluation e = evaluate(o, log);
//
// Thread safety: evaluate() writes into o.out; one call per output folder.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "faceocc/classes.hpp"
#include "faceocc/train/learn/metrics.hpp"
#include "faceocc/train/learn/paired_test.hpp"

namespace faceocc {

struct ImageSet;

// One model's scores on one set of photos.
struct ModelScores {
  std::string label;                        // names its files: predictions_<label>.csv ...
  std::filesystem::path model;              // the TorchScript file
  Task task = Task::Region;                 // from the model's output width
  std::vector<std::vector<float>> probs;    // per photo, per class of the task
  std::vector<int> predicted, truth;        // truth: the photos' labels mapped to the task
  Metrics metrics;
};

// A run folder means its exported model. Throws naming the path when absent.
std::filesystem::path exported_model_file(const std::string& model_or_run);

// Runs a TorchScript model on every crop of `set`. Throws naming the file when
// it is not a TorchScript model or outputs neither 4 nor 2 classes.
ModelScores score_model(const std::filesystem::path& file, const std::string& label, const ImageSet& set,
                        const std::function<void(const std::string&)>& log);

struct Comparison {
  McNemarResult test;
  bool promote = false;  // B right significantly more often than A (p < alpha)
};
// requires: a and b scored on the same photos with the same task.
Comparison compare(const ModelScores& a, const ModelScores& b, double alpha);

struct CascadeResult {
  Metrics single, cascade;
  McNemarResult test;  // single (a) against cascade (b)
};
// requires: `binary` a binary model, `region` a 4-class one, same photos.
CascadeResult cascade(const ModelScores& binary, const ModelScores& region);

struct EvaluateOptions {
  enum class Mode { Each, Compare, Cascade };
  std::vector<std::string> models;  // TorchScript files or occtrain run folders
  std::vector<std::string> labels;  // one per model (default m1, m2, ...)
  std::vector<std::filesystem::path> real;
  std::filesystem::path out = "out/occeval";
  std::filesystem::path cache, detector;
  int threads = 0;
  Mode mode = Mode::Each;
  double alpha = 0.05;
  int gallery = 24;  // mistakes shown per (true -> predicted) cell in errors_<label>.png; 0 = no gallery
};

struct Evaluation {
  std::vector<ModelScores> models;
  std::optional<Comparison> comparison;
  std::optional<CascadeResult> cascade;
  std::string report;  // what a person reads: per-model metrics and confusion, the decision
};

// Throws std::invalid_argument naming the option when the options do not fit together.
void check_evaluate_options(const EvaluateOptions& o);

// Scores every model on o.real and writes, per model, predictions_<label>.csv,
// metrics_<label>.json, confusion_<label>.png and errors_<label>.png (the
// error gallery, error_gallery.hpp), for a 4-class model the threshold table and
// curves (thresholds_<label>.md, roc_<label>.csv/.png: threshold_report.hpp); with Compare, compare.json
// ("promote"); with Cascade, cascade.json and confusion_cascade.png.
Evaluation evaluate(const EvaluateOptions& o, const std::function<void(const std::string&)>& log);

// McNemar on two earlier predictions_<label>.csv files, on their common photos
// (models scored by different builds or pipelines). Returns the one-line report.
std::string compare_prediction_files(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace faceocc
