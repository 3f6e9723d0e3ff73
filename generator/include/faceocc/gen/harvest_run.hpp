// occharvest's job (and occgen's, when real photos are present): cut real occluders out of the
// *training* split of real labelled photos and write them as occluder assets. The split is made
// here, on the list every tool makes (real_photos.hpp) with the seed and fraction the training run
// will use, and only its training side is ever opened again: there is no way to name a photo to
// harvest. occtrain checks the other end (it refuses
// synthetic data whose harvested occluders come from its validation photos).
//
// Upper photos give what covers the eyes, lower photos what covers mouth and
// chin, "both" photos one of each. Resumable: an asset already written is kept,
// and a photo an earlier run rejected under the same settings is not tried
// again (<out>/rejected.csv).
//
// Thread safety: one run at a time per output folder.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "faceocc/gen/harvest.hpp"
#include "faceocc/progress.hpp"
#include "faceocc/real/real_photos.hpp"

namespace faceocc {

struct HarvestRunOptions {
  std::vector<std::filesystem::path> real;  // ROOT/<class>/* folders or path,class CSVs
  const RealPhotoList* photos = nullptr;    // `real` already listed (list_real_photos), or null: list it here
  double val_split = 0.2;                   // as occtrain --val-split
  uint64_t split_seed = 1;                  // as occtrain --split-seed
  std::filesystem::path out;                // occluder folder to write
  std::filesystem::path detector_dir;
  int threads = 0;
  std::string licence = "as the source photo's (the user's own labelled data)";
  HarvestOptions harvest;
  ProgressMeter::Log log;
};

struct HarvestRunReport {
  int training_photos = 0, tried = 0, written = 0, kept = 0;
  int rejected_earlier = 0;               // skipped: rejected by an earlier run with the same settings
  std::map<std::string, int> rejected;    // reason (without numbers) -> count
  std::vector<std::string> sources;       // content keys of the training photos harvested from
  std::vector<std::string> validation;    // content keys of the validation photos (never cut)
  std::vector<std::pair<std::string, std::string>> left_out;  // photos that could not be read: file, why
};

HarvestRunReport harvest_training_split(const HarvestRunOptions& opt);

}  // namespace faceocc
