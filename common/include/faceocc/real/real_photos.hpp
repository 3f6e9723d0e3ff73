// Real labelled photos as every tool reads them, and their split. --real roots are folders in the
// seed's layout (ROOT/<class>/*) or path,class CSVs (photo_lists.hpp). Each photo is read once:
// the ones that decode whole (image_read.hpp) are listed with their content key (the same bytes are
// the same photo wherever they are filed), in root order, then class and path order (CSV: line
// order); the others are named with why. The split into training and validation is made on this
// list, so occtrain, occharvest and occgen's default faces get the same sides for the same seed
// and fraction, by construction.
//
// Thread safety: pure functions (list_real_photos reads files on its own threads).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "faceocc/progress.hpp"

namespace faceocc {

struct RealPhoto {
  std::filesystem::path path;
  int label = 0;    // class index (classes.hpp)
  std::string key;  // content key of the file's bytes
};

struct RealPhotoList {
  std::vector<RealPhoto> photos;
  std::vector<std::pair<std::string, std::string>> problems;  // file (or CSV:line), why it was left out
};

// requires: threads >= 0 (0 = all cores).
RealPhotoList list_real_photos(const std::vector<std::filesystem::path>& roots, int threads = 0,
                               const ProgressMeter::Log& log = {});

// Splits indices so that no key lands on both sides (whole source photos); about `val_fraction`
// of them go to validation. Seeded; the same keys, fraction and seed give the same sides.
std::pair<std::vector<int64_t>, std::vector<int64_t>> group_split(const std::vector<std::string>& keys,
                                                                  double val_fraction, uint64_t seed);

// The same for K folds: every index in exactly one fold, whole source photos together.
std::vector<std::vector<int64_t>> group_folds(const std::vector<std::string>& keys, int k, uint64_t seed);

// Where the real labelled photos are when the user names none: $FACEOCC_REAL, else
// ../shared/data/dev (from the current folder) when it is a folder; "" when neither.
std::filesystem::path default_real_dir();

// Where occluders cut from these photos' training split are kept between runs: a folder of the
// faceocc cache named for the roots (absolute) and the split, so another set or split never
// shares one.
std::filesystem::path default_harvest_dir(const std::vector<std::filesystem::path>& roots, double val_split,
                                          uint64_t split_seed);

// The split every tool makes by default: occtrain's (--val-split 0.2, split seed = its --seed 1).
constexpr double kDefaultValSplit = 0.2;
constexpr uint64_t kDefaultSplitSeed = 1;

}  // namespace faceocc
