// Publishing a run: what a run folder shows is derived from its committed epochs (epoch_store.hpp)
// and redone from them after a kill, so a resumed run ends in the files of the run that never
// stopped.
//   publish_commit      after every commit: metrics.jsonl, last.pt, best.pt + best.json (the
//                       best-epoch rule), confusion_val.*; epochs no later choice needs removed;
//   publish_best_model  at the end: the best model's validation predictions, errors_val.png, the
//                       --eval sets, final.json, model.torchscript.pt and model.onnx.
//
// Thread safety: one run folder per call; not for two calls on one folder at once.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/learn/metrics.hpp"
#include "faceocc/train/run/epoch_store.hpp"
#include "faceocc/train/run/training_run.hpp"

namespace faceocc {

struct PublishContext {
  const TrainingRunOptions& options;
  const RealLoadOptions& load;              // how --eval sets are loaded
  std::vector<std::string> names;           // class names of the task
  int classes;
  std::function<void(const std::string&)> log;
};

// requires: `store` holds the epochs `h` describes; `labels` are the validation photos' labels.
void publish_commit(const PublishContext& c, const std::filesystem::path& dir, const EpochStore& store, const EpochHistory& h,
                    const std::vector<int>& labels);

// requires: dir/best.pt and dir/best.json (publish_commit). Returns the best model's validation
// metrics and epoch; `val_probs` (if given) gets its probabilities for every validation photo.
Metrics publish_best_model(const PublishContext& c, const std::filesystem::path& dir, const ImageSet& val, int* best_epoch,
                           std::vector<std::vector<float>>* val_probs = nullptr);

}  // namespace faceocc
