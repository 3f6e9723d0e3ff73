// One training run on one split (the whole run, or one fold of --folds): the new head seeded, the
// backbone pretrained, initialised from --init or resumed from the last committed epoch; every
// epoch committed (epoch_store.hpp) and published (publish.hpp); the best model's outputs at the
// end.
//
// Thread safety: one job per run folder.
#pragma once
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "faceocc/train/run/publish.hpp"

namespace faceocc {

// Everything one training run on one split needs.
struct Split {
  const ImageSet& train;
  const ImageSet& val;
  const ImageSet& synthetic;
  const std::map<std::string, int>& region_label;  // path -> 4-class label (for the CSVs under --task binary)
};

// A split as a path,class CSV (4-class labels whatever the task), readable by --real and occeval.
void write_split_csv(const ImageSet& set, const std::map<std::string, int>& region_label, const std::filesystem::path& file);

// What of the real photos the synthetic data used: the photos its occluders were harvested from
// and the photos its faces come from (content keys).
struct SyntheticSources {
  std::set<std::string> occluders, faces;
};
// Throws std::runtime_error when a validation photo is among them: the model would be taught the
// photos it is scored on.
void refuse_leaks(const SyntheticSources& used, const ImageSet& val);

class TrainingJob {
 public:
  TrainingJob(const TrainingRunOptions& o, const RealLoadOptions& load, const std::function<void(const std::string&)>& log)
      : o_(o), publish_{o, load, task_class_names(o.task), task_classes(o.task), log} {}

  // One run on `s`, its files in `dir`; the best model's validation metrics and epoch.
  // `val_probs` (if given) gets the best model's probabilities for every validation photo.
  Metrics run(const Split& s, const std::filesystem::path& dir, int* best_epoch,
              std::vector<std::vector<float>>* val_probs = nullptr);

 private:
  const TrainingRunOptions& o_;
  PublishContext publish_;
};

}  // namespace faceocc
