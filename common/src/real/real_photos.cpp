#include "faceocc/real/real_photos.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

#include <tbb/global_control.h>

#include "faceocc/cache_paths.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/face/image_list.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/real/photo_lists.hpp"
#include "faceocc/parallel_for.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

// The photos a root names, before any is read.
std::vector<LabelledPhoto> listed(const fs::path& root, std::vector<std::pair<std::string, std::string>>& problems) {
  if (root.extension() == ".csv") return read_photo_csv(root, problems);
  std::vector<LabelledPhoto> items;
  if (!fs::is_directory(root)) {
    problems.push_back({root.string(), "not a folder or .csv"});
    return items;
  }
  for (int c = 0; c < kNumClasses; ++c) {
    const fs::path d = root / class_folder(OccClass(c));
    if (!fs::is_directory(d)) continue;
    FileProblems unreadable;
    for (const auto& f : list_images(d, &unreadable)) items.push_back({f, c});
    for (const auto& [file, why] : unreadable) problems.push_back({file, "cannot read (" + why + ")"});
  }
  if (items.empty()) problems.push_back({root.string(), "no <class>/ folders with images (0_0_0, 1_1_0, 1_0_1, 1_1_1)"});
  return items;
}

std::vector<std::vector<int64_t>> groups_of(const std::vector<std::string>& keys, uint64_t seed) {
  std::map<std::string, std::vector<int64_t>> by;
  for (size_t i = 0; i < keys.size(); ++i) by[keys[i]].push_back(int64_t(i));
  std::vector<std::vector<int64_t>> g;
  for (auto& [k, v] : by) g.push_back(std::move(v));
  uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = g.size(); i > 1; --i) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;  // xorshift: shuffle whole groups
    std::swap(g[i - 1], g[size_t(s % i)]);
  }
  return g;
}

}  // namespace

RealPhotoList list_real_photos(const std::vector<fs::path>& roots, int threads, const ProgressMeter::Log& log) {
  RealPhotoList out;
  std::vector<LabelledPhoto> items;
  for (const auto& r : roots)
    for (auto& it : listed(r, out.problems)) items.push_back(std::move(it));
  std::vector<std::string> keys(items.size()), why(items.size());
  const int n = threads > 0 ? threads : int(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(n));
  ProgressMeter meter("reading real photos", "photos", long(items.size()), log);
  std::atomic<long> done{0};
  parallel_for_index(items.size(), [&](size_t i) {
    std::ifstream in(items[i].path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) why[i] = "cannot open";
    else if (ImageRead r = decode_image(bytes); !r.problem.empty()) why[i] = r.problem;
    else keys[i] = content_key(bytes);
    meter.update(++done);
  });
  if (items.size() > 64) meter.finish();
  for (size_t i = 0; i < items.size(); ++i) {
    if (!why[i].empty()) out.problems.push_back({items[i].path.string(), why[i]});
    else out.photos.push_back({std::move(items[i].path), items[i].label, std::move(keys[i])});
  }
  return out;
}

std::pair<std::vector<int64_t>, std::vector<int64_t>> group_split(const std::vector<std::string>& keys, double val_fraction,
                                                                  uint64_t seed) {
  std::vector<int64_t> train, val;
  const double want = val_fraction * double(keys.size());
  for (auto& g : groups_of(keys, seed)) {
    auto& dst = double(val.size()) < want ? val : train;
    dst.insert(dst.end(), g.begin(), g.end());
  }
  std::sort(train.begin(), train.end());
  std::sort(val.begin(), val.end());
  return {train, val};
}

std::vector<std::vector<int64_t>> group_folds(const std::vector<std::string>& keys, int k, uint64_t seed) {
  std::vector<std::vector<int64_t>> folds(size_t(std::max(1, k)));
  for (auto& g : groups_of(keys, seed)) {
    auto& dst = *std::min_element(folds.begin(), folds.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
    dst.insert(dst.end(), g.begin(), g.end());
  }
  for (auto& f : folds) std::sort(f.begin(), f.end());
  return folds;
}

fs::path default_harvest_dir(const std::vector<fs::path>& roots, double val_split, uint64_t split_seed) {
  std::string id = "val=" + std::to_string(val_split) + ";seed=" + std::to_string(split_seed);
  for (const auto& r : roots) id += ";" + fs::absolute(r).lexically_normal().string();
  char b[20];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(fnv1a(id.data(), id.size())));
  return cache_dir() / "harvest" / b;
}

fs::path default_real_dir() {
  if (const char* e = std::getenv("FACEOCC_REAL"); e && *e) return e;
  if (fs::is_directory("../shared/data/dev")) return "../shared/data/dev";
  return {};
}

}  // namespace faceocc
