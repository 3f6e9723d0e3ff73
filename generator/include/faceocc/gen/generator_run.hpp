// A whole occgen run: index the faces, load the occluders, generate samples
// [begin, end) of the shard in parallel, write everything crash-safely.
//
// Output folder:
//   <class>/<id>.jpg            the seed's layout (0_0_0, 1_1_0, 1_0_1, 1_1_1)
//   masks/<id>.png              per-pixel occlusion alpha
//   aligned<N>/<class>/<id>.jpg InsightFace-aligned crops (--aligned N), found and aligned
//                               exactly as real photos are (find_and_align.hpp)
//   manifest.csv                one row per image, sorted by id
//   summary.json                counts, skipped inputs with reasons, timings
//   landmarks/                  detection cache (unless --landmark-cache moves it)
//   journal.csv, run.json       progress and settings, for --resume
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "faceocc/gen/sample.hpp"

namespace faceocc {

struct GeneratorOptions {
  // faces_dir: the clean face photos; "" with `real` set: the real training split's clean photos.
  std::filesystem::path faces_dir, occluders_dir, out_dir, landmark_cache, shape_predictor;
  // Real labelled photos (ROOT/<class>/ folders or path,class CSVs), split as occtrain splits them
  // (real_photos.hpp): their training split's 0_0_0 photos are the faces (when faces_dir is ""), and
  // occluders cut from their training split's occluded photos join the library (when harvest_dir is
  // set; kept there between runs). Validation photos are never used.
  std::vector<std::filesystem::path> real;
  // Faces from the validation split's clean photos instead (faces_dir ""): for checks made of faces no
  // model trained on (the failure-mode checks); occtrain refuses to train on such a pool (run.json's face keys).
  bool validation_faces = false;
  double val_split = 0.2;
  uint64_t split_seed = 1;
  std::filesystem::path harvest_dir;
  std::vector<std::filesystem::path> more_occluders;  // further occluder folders (e.g. occharvest's)
  std::filesystem::path detector_dir;  // BlazeFace models for the aligned crops ("" = default_detector_dir())
  int64_t count = 1000;
  uint64_t seed = 1;
  std::array<double, kNumClasses> class_mix{0.25, 0.25, 0.25, 0.25};
  int threads = 0;                  // 0 = all cores
  int shard_index = 0, shard_count = 1;
  bool resume = false;
  int size = 256;                   // face crop side
  int min_face = 40;
  double min_score = 0.3;           // weakest accepted face detection
  int aligned = 0;                  // also write aligned crops of this size (0 = no)
  bool aligned_only = false;        // ...and not the full crops
  bool masks = true;
  int jpeg_quality = 92;
  std::filesystem::path preview;    // contact sheet PNG ("" = none)
  SampleOptions sample;
};

struct GeneratorReport {
  int64_t written = 0, resumed = 0, unfilled = 0, write_errors = 0;
  std::array<int64_t, kNumClasses> per_class{};
  int photos = 0, faces = 0, assets = 0, identities = 0;  // identities: distinct source photos with a face
  double index_seconds = 0, generate_seconds = 0;
};

// Parses "0_0_0=0.4,1_1_0=0.2,..." or "none=1,upper=1,..." (normalised; omitted classes get 0).
std::array<double, kNumClasses> parse_class_mix(const std::string& s);

// Target class of every global index: exact quotas, deterministically shuffled.
std::vector<uint8_t> class_targets(int64_t count, const std::array<double, kNumClasses>& mix, uint64_t seed);

// Half-open index range of shard k of n.
std::pair<int64_t, int64_t> shard_range(int64_t count, int k, int n);

// Throws std::runtime_error for fatal problems (nothing usable, output folder
// unusable, a --resume that does not match the first run's settings).
// `log` receives progress and warnings.
GeneratorReport run_generator(const GeneratorOptions& opt, const std::function<void(const std::string&)>& log);

}  // namespace faceocc
