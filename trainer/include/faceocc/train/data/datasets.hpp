// Training data in: real photos in the seed's layout ROOT/<class>/* (or a CSV
// list "path,class"), and occgen output folders. Real photos go through the
// one find-and-align path (faceocc/face/find_and_align.hpp: BlazeFace, then
// eyes, nose and mouth centre -> 112x112), as occgen's --aligned crops do; when
// no face is found the centre square of the image is used instead and counted
// per class. Aligned crops are cached on disk keyed by the file's bytes and the
// alignment version, so later runs never decode or detect again.
#pragma once
#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <opencv2/core.hpp>

#include <functional>

#include "faceocc/face/find_and_align.hpp"
#include "faceocc/progress.hpp"
#include "faceocc/real/real_photos.hpp"
#include "faceocc/train/learn/train_loop.hpp"

namespace faceocc {

struct LoadReport {
  std::array<long, 4> images{}, fallback{};                    // per class
  std::vector<std::pair<std::string, std::string>> problems;  // file, why it was left out
  long cache_hits = 0;
};

struct RealLoadOptions {
  std::filesystem::path cache_dir;        // aligned-crop cache
  std::filesystem::path detector_dir;     // BlazeFace models (default_detector_dir())
  int threads = 0;
  ProgressMeter::Log log;                 // progress lines (count, ETA); empty: stderr
};

// Each entry is a folder in the seed's layout or a .csv of "path,class" lines
// (paths relative to the CSV). Unreadable files are reported, not fatal.
ImageSet load_real(const std::vector<std::filesystem::path>& roots, const RealLoadOptions& opt, LoadReport& report);

// One line for the log: images per class, centre-crop fallbacks, how many were left out.
std::string load_summary(const LoadReport& r, const std::string& what);
// The same for data.json, with every photo left out and why.
nlohmann::ordered_json load_report_json(const LoadReport& r);

// occgen output folders: manifest.csv + aligned112/<class>/<id>.jpg (occgen --aligned 112).
ImageSet load_synthetic(const std::vector<std::filesystem::path>& dirs, LoadReport& report);

// How many samples of these occgen output folders have their aligned crop on disk (what
// load_synthetic would load), without decoding any.
long count_synthetic_crops(const std::vector<std::filesystem::path>& dirs);

// The real photos split into training and validation exactly as every tool splits them
// (group_split of the content keys, real_photos.hpp).
struct RealSplit {
  ImageSet train, validation;
};
RealSplit split_real(const ImageSet& all, double val_fraction, uint64_t seed);

// Content keys of the real photos that harvested occluders used by these occgen
// output folders were cut from (their ids "harvest_<region>_<key>" in
// manifest.csv). occtrain refuses a run whose validation photos are among them.
std::set<std::string> harvested_sources(const std::vector<std::filesystem::path>& synthetic_dirs);

// Content keys of the photos the faces of these occgen output folders come from (summary.json's
// source_photo_keys; folders written before it was recorded give none). occtrain refuses a run
// whose validation photos are among them: the model would have seen their faces.
std::set<std::string> synthetic_face_sources(const std::vector<std::filesystem::path>& synthetic_dirs);

}  // namespace faceocc
