#include "faceocc/train/harvest_run.hpp"

#include <atomic>
#include <mutex>
#include <set>

#include <opencv2/imgcodecs.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "faceocc/cache_paths.hpp"
#include "faceocc/face/blazeface.hpp"
#include "faceocc/train/datasets.hpp"

namespace faceocc {

namespace fs = std::filesystem;

HarvestRunReport harvest_training_split(const HarvestRunOptions& opt) {
  HarvestRunReport rep;
  LoadReport lr;
  RealLoadOptions ro{opt.cache_dir, opt.detector_dir, opt.threads, opt.log};
  const ImageSet all = load_real(opt.real, ro, lr);
  const RealSplit split = split_real(all, opt.val_split, opt.split_seed);
  const ImageSet& train = split.train;  // the only photos this function opens from here on
  rep.training_photos = int(train.size());
  rep.validation = split.validation.sources;
  fs::create_directories(opt.out);

  struct Job { size_t photo; bool upper; };
  std::vector<Job> jobs;
  std::set<std::pair<std::string, bool>> queued;  // a photo filed twice is cut once
  for (size_t i = 0; i < train.labels.size(); ++i) {
    const int c = train.labels[i];  // 1 = upper, 2 = lower, 3 = both
    for (bool upper : {true, false})
      if ((upper ? (c == 1 || c == 3) : (c == 2 || c == 3)) && queued.insert({train.sources[i], upper}).second)
        jobs.push_back({i, upper});
  }
  const BlazeFace proto(opt.detector_dir.empty() ? default_detector_dir() : opt.detector_dir);
  tbb::enumerable_thread_specific<BlazeFace> detectors([&] { return proto.clone(); });
  const int threads = opt.threads > 0 ? opt.threads : int(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
  std::mutex m;
  std::atomic<long> done{0};
  ProgressMeter meter("harvesting", "cut-outs", long(jobs.size()), opt.log);
  tbb::parallel_for(size_t(0), jobs.size(), [&](size_t j) {
    const Job& job = jobs[j];
    const std::string& key = train.sources[job.photo];
    const std::string id = harvest_id(job.upper, key);
    auto count = [&](const std::string& what) {
      std::lock_guard<std::mutex> g(m);
      ++rep.rejected[what];
    };
    if (fs::exists(opt.out / (id + ".json")) && fs::exists(opt.out / (id + ".png"))) {
      std::lock_guard<std::mutex> g(m);
      ++rep.kept;
      rep.sources.push_back(key);
    } else {
      const cv::Mat photo = cv::imread(train.paths[job.photo], cv::IMREAD_COLOR);
      const auto faces = photo.empty() ? std::vector<FaceDetection>{} : detectors.local().detect(photo);
      if (faces.empty()) {
        count("no face found");
      } else {
        const HarvestResult r = harvest_occluder(photo, faces.front(), job.upper, key, train.paths[job.photo], opt.licence, opt.harvest);
        if (r.asset) {
          save_occluder(*r.asset, opt.out);
          std::lock_guard<std::mutex> g(m);
          ++rep.written;
          rep.sources.push_back(key);
        } else {
          count(r.rejected.substr(0, r.rejected.find(" (")));
        }
      }
      std::lock_guard<std::mutex> g(m);
      ++rep.tried;
    }
    meter.update(++done);
  });
  meter.finish();
  std::sort(rep.sources.begin(), rep.sources.end());
  return rep;
}

}  // namespace faceocc
