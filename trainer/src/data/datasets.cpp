#include "faceocc/train/data/datasets.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/manifest_csv.hpp"
#include "faceocc/parallel_for.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/harvest.hpp"
#include "faceocc/gen/regions.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/run/json_record.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

struct Loaded {
  cv::Mat crop;
  std::string key;
  bool fallback = false, cached = false;
  std::string problem;
};

// The aligned crop of a listed photo: from the cache (by content key and alignment version), or
// found, aligned and cached.
Loaded load_one(const RealPhoto& photo, const fs::path& cache, const BlazeFace& detector) {
  Loaded r;
  r.key = photo.key;
  const fs::path aligned = cache / (r.key + ".a.png"), centred = cache / (r.key + ".c.png");
  for (const auto& [p, fb] : {std::pair{aligned, false}, std::pair{centred, true}}) {
    if (fs::exists(p)) {
      r.crop = cv::imread(p.string());
      if (!r.crop.empty()) { r.fallback = fb; r.cached = true; return r; }
    }
  }
  const ImageRead img = read_image(photo.path);
  if (!img.problem.empty()) { r.problem = img.problem; return r; }
  const AlignedFace a = find_and_align(img.image, detector, 112);
  r.crop = a.crop;
  r.fallback = !a.face_found;
  std::vector<uchar> png;
  if (cv::imencode(".png", r.crop, png)) write_file_atomic(r.fallback ? centred : aligned, png.data(), png.size(), /*sync=*/false);
  return r;
}

}  // namespace

ImageSet load_real(const std::vector<fs::path>& roots, const RealLoadOptions& opt, LoadReport& rep) {
  RealPhotoList list = list_real_photos(roots, opt.threads, opt.log);
  for (auto& p : list.problems) rep.problems.push_back(std::move(p));
  const std::vector<RealPhoto>& items = list.photos;
  const fs::path cache = opt.cache_dir / kAlignmentVersion;
  fs::create_directories(cache);
  std::vector<Loaded> loaded(items.size());
  if (!items.empty()) {
    const BlazeFace proto(opt.detector_dir.empty() ? default_detector_dir() : opt.detector_dir);
    tbb::enumerable_thread_specific<BlazeFace> detectors([&] { return proto.clone(); });
    const int threads = opt.threads > 0 ? opt.threads : int(tbb::info::default_concurrency());
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
    std::atomic<long> done{0};
    ProgressMeter meter("aligning photos", "photos", long(items.size()), opt.log);
    parallel_for_index(items.size(), [&](size_t i) {
      try {
        loaded[i] = load_one(items[i], cache, detectors.local());
      } catch (const std::exception& e) {
        loaded[i].problem = e.what();
      }
      meter.update(++done);
    });
    meter.finish();
  }
  ImageSet set;
  std::vector<cv::Mat> crops;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!loaded[i].problem.empty()) { rep.problems.push_back({items[i].path.string(), loaded[i].problem}); continue; }
    crops.push_back(loaded[i].crop);
    set.labels.push_back(items[i].label);
    set.sources.push_back(loaded[i].key);  // same bytes = same photo, wherever it is filed
    set.paths.push_back(items[i].path.string());
    ++rep.images[size_t(items[i].label)];
    rep.fallback[size_t(items[i].label)] += loaded[i].fallback;
    rep.cache_hits += loaded[i].cached;
  }
  if (!crops.empty()) set.images = to_rgb_batch(crops);
  return set;
}

long count_synthetic_crops(const std::vector<fs::path>& dirs) {
  long n = 0;
  for (const fs::path& d : dirs)
    for (const ManifestRow& r : read_manifest(d))
      if (class_from_string(r.cls) && r.id.size() == 8 && fs::exists(d / "aligned112" / r.cls / (r.id + ".jpg"))) ++n;
  return n;
}

std::string load_summary(const LoadReport& r, const std::string& what) {
  std::ostringstream os;
  os << what << ":";
  for (int c = 0; c < kNumClasses; ++c) os << " " << class_folder(OccClass(c)) << "=" << r.images[size_t(c)];
  long fb = 0;
  for (long f : r.fallback) fb += f;
  if (fb) {
    os << "; no face found, centre crop used for";
    for (int c = 0; c < kNumClasses; ++c) os << " " << class_folder(OccClass(c)) << "=" << r.fallback[size_t(c)];
  }
  if (!r.problems.empty()) os << "; " << r.problems.size() << " left out (see data.json)";
  return os.str();
}

nlohmann::ordered_json load_report_json(const LoadReport& r) {
  nlohmann::ordered_json j;
  j["images"] = r.images;
  j["centre_crop_fallback"] = r.fallback;
  j["left_out"] = nlohmann::ordered_json::array();
  for (const auto& [f, why] : r.problems) j["left_out"].push_back({{"file", f}, {"why", why}});
  return j;
}

ImageSet load_synthetic(const std::vector<fs::path>& dirs, LoadReport& rep) {
  ImageSet set;
  std::vector<cv::Mat> crops;
  for (const fs::path& d : dirs) {
    std::ifstream in(d / "manifest.csv");
    if (!in) { rep.problems.push_back({(d / "manifest.csv").string(), "cannot open (not an occgen output folder?)"}); continue; }
    bool any_aligned = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("id,", 0) == 0 || line.size() < 15) continue;
      const std::string id = line.substr(0, 8), cls = line.substr(9, 5);
      const auto c = class_from_string(cls);
      if (!c) continue;
      const fs::path p = d / "aligned112" / cls / (id + ".jpg");
      if (!fs::exists(p)) continue;
      ImageRead read = read_image(p);
      if (!read.problem.empty()) { rep.problems.push_back({p.string(), read.problem}); continue; }
      cv::Mat im = std::move(read.image);
      any_aligned = true;
      if (im.size() != cv::Size(112, 112)) cv::resize(im, im, {112, 112}, 0, 0, cv::INTER_AREA);
      crops.push_back(im);
      set.labels.push_back(int(*c));
      const auto f = line.find(',', 15);
      set.sources.push_back("synthetic:" + line.substr(15, f == std::string::npos ? std::string::npos : f - 15));
      set.paths.push_back(p.string());
      ++rep.images[size_t(*c)];
    }
    if (!any_aligned)
      rep.problems.push_back({d.string(), "no aligned112/ crops: generate with occgen --aligned 112"});
  }
  if (!crops.empty()) set.images = to_rgb_batch(crops);
  return set;
}

RealSplit split_real(const ImageSet& all, double val_fraction, uint64_t seed) {
  const auto [tr, va] = group_split(all.sources, val_fraction, seed);
  return {all.subset(tr), all.subset(va)};
}

std::set<std::string> synthetic_face_sources(const std::vector<fs::path>& dirs) {
  std::set<std::string> keys;
  for (const fs::path& d : dirs) {
    // Damaged: an error, or the leak check would pass on nothing. Absent: a pool without occgen's record.
    const auto rec = read_json_object_if_present(d / "summary.json", "occtrain's check that no validation photo fed the pool");
    if (!rec) continue;
    const nlohmann::json& j = *rec;
    if (j.contains("source_photo_keys") && j["source_photo_keys"].is_array())
      for (const auto& k : j["source_photo_keys"])
        if (k.is_string()) keys.insert(k.get<std::string>());
  }
  return keys;
}

std::set<std::string> harvested_sources(const std::vector<fs::path>& dirs) {
  std::set<std::string> keys;
  for (const fs::path& d : dirs)
    for (const ManifestRow& row : read_manifest(d))
      for (const std::string& id : occluder_ids(row.occluders))
        if (const std::string k = harvest_source_key(id); !k.empty()) keys.insert(k);
  return keys;
}

}  // namespace faceocc
