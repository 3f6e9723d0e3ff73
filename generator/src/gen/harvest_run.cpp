#include "faceocc/gen/harvest_run.hpp"

#include <atomic>
#include <map>
#include <fstream>
#include <cstdio>
#include <mutex>
#include <set>

#include <opencv2/imgcodecs.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/parallel_for.hpp"
#include "faceocc/face/blazeface.hpp"
#include "faceocc/real/real_photos.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

// What decides a cut: a rejection is remembered only under the same settings.
std::string settings_tag(const HarvestOptions& h) {
  char b[160];
  std::snprintf(b, sizeof b, "frame=%d cover=%.4f%s other=%.4f contrast=%.4f solidity=%.4f iterations=%d", h.frame,
                h.min_cover, h.upper_eyes_only ? " (upper: eyes)" : "", h.max_other, h.min_contrast, h.min_solidity,
                h.iterations);
  return b;
}

// <out>/rejected.csv: "key,region,reason" lines after a "# settings" line.
std::map<std::pair<std::string, bool>, std::string> read_rejections(const fs::path& file, const std::string& tag) {
  std::map<std::pair<std::string, bool>, std::string> r;
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line) || line != "# " + tag) return r;  // other settings: try them all again
  while (std::getline(in, line)) {
    const auto a = line.find(','), b = line.find(',', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    r[{line.substr(0, a), line.substr(a + 1, b - a - 1) == "upper"}] = line.substr(b + 1);
  }
  return r;
}

}  // namespace

HarvestRunReport harvest_training_split(const HarvestRunOptions& opt) {
  HarvestRunReport rep;
  const RealPhotoList all = opt.photos ? *opt.photos : list_real_photos(opt.real, opt.threads, opt.log);
  rep.left_out = all.problems;
  std::vector<std::string> keys;
  for (const RealPhoto& p : all.photos) keys.push_back(p.key);
  const auto [train_idx, val_idx] = group_split(keys, opt.val_split, opt.split_seed);
  std::vector<RealPhoto> train;  // the only photos this function opens from here on
  for (int64_t i : train_idx) train.push_back(all.photos[size_t(i)]);
  for (int64_t i : val_idx) rep.validation.push_back(all.photos[size_t(i)].key);
  rep.training_photos = int(train.size());
  fs::create_directories(opt.out);

  struct Job { size_t photo; bool upper; };
  std::vector<Job> jobs;
  std::set<std::pair<std::string, bool>> queued;  // a photo filed twice is cut once
  for (size_t i = 0; i < train.size(); ++i) {
    const int c = train[i].label;
    for (bool upper : {true, false})
      if ((upper ? covers_upper(c) : covers_lower(c)) && queued.insert({train[i].key, upper}).second)
        jobs.push_back({i, upper});
  }
  const std::string tag = settings_tag(opt.harvest);
  auto rejections = read_rejections(opt.out / "rejected.csv", tag);  // photos already tried in vain
  const BlazeFace proto(opt.detector_dir.empty() ? default_detector_dir() : opt.detector_dir);
  tbb::enumerable_thread_specific<BlazeFace> detectors([&] { return proto.clone(); });
  const int threads = opt.threads > 0 ? opt.threads : int(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
  std::mutex m;
  std::vector<std::string> fresh_rejections;
  std::atomic<long> done{0};
  ProgressMeter meter("harvesting", "cut-outs", long(jobs.size()), opt.log);
  parallel_for_index(jobs.size(), [&](size_t j) {
    const Job& job = jobs[j];
    const std::string& key = train[job.photo].key;
    const std::string id = harvest_id(job.upper, key);
    auto reject = [&](const std::string& why) {  // counted, and remembered for the next run
      std::lock_guard<std::mutex> g(m);
      ++rep.rejected[why];
      fresh_rejections.push_back(key + (job.upper ? ",upper," : ",lower,") + why);
    };
    const auto earlier = rejections.find({key, job.upper});  // read-only in the loop
    if (fs::exists(opt.out / (id + ".json")) && fs::exists(opt.out / (id + ".png"))) {
      std::lock_guard<std::mutex> g(m);
      ++rep.kept;
      rep.sources.push_back(key);
    } else if (earlier != rejections.end()) {
      std::lock_guard<std::mutex> g(m);
      ++rep.rejected_earlier;
      ++rep.rejected[earlier->second];
    } else {
      const ImageRead read = read_image(train[job.photo].path);
      const cv::Mat& photo = read.image;
      const auto faces = photo.empty() ? std::vector<FaceDetection>{} : detectors.local().detect(photo);
      if (!read.problem.empty()) {
        reject(read.problem);
      } else if (faces.empty()) {
        reject("no face found");
      } else {
        const HarvestResult r = harvest_occluder(photo, faces.front(), job.upper, key, train[job.photo].path.string(), opt.licence, opt.harvest);
        if (r.asset) {
          save_occluder(*r.asset, opt.out);
          std::lock_guard<std::mutex> g(m);
          ++rep.written;
          rep.sources.push_back(key);
        } else {
          reject(r.rejected.substr(0, r.rejected.find(" (")));
        }
      }
      std::lock_guard<std::mutex> g(m);
      ++rep.tried;
    }
    meter.update(++done);
  });
  meter.finish();
  std::sort(rep.sources.begin(), rep.sources.end());
  // Remember this run's rejections with the earlier ones, so the next run (every night) skips them.
  std::string csv = "# " + tag + "\n";
  std::vector<std::string> lines = fresh_rejections;
  for (const auto& [k, why] : rejections) lines.push_back(k.first + (k.second ? ",upper," : ",lower,") + why);
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) csv += l + "\n";
  write_text_or_throw(opt.out / "rejected.csv", csv);
  return rep;
}

}  // namespace faceocc
