// occtrain --folds K: K-fold cross-validation over whole source photos (each fold the validation
// set once), the mean +- std of accuracy, macro-F1 and per-class recall (OUT/folds.json), and the
// review list of likely label errors from the out-of-fold predictions: photos whose given label
// gets p <= review_max_given while another class gets >= review_min_other (review.csv and
// review.png, largest gap first).
//
// Thread safety: one run folder per call.
#pragma once
#include <map>
#include <set>
#include <string>

#include "faceocc/train/run/training_job.hpp"

namespace faceocc {

// requires: o.folds > 1. `excluded`: file keys of --exclude (left out of every fold);
// `used`: real photos the synthetic data used (refused as validation photos).
TrainingResult run_folds(const TrainingRunOptions& o, TrainingJob& job, const ImageSet& all_real, const ImageSet& synthetic,
                         const std::map<std::string, int>& region_label, const std::set<std::string>& excluded,
                         const SyntheticSources& used, const std::function<void(const std::string&)>& log);

}  // namespace faceocc
