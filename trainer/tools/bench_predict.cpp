// bench_predict: what occpredict costs per photo on ONE core, stage by stage —
// decode, find the face (BlazeFace), align, classify — with model loading and
// process start excluded: the budget of a capture-time check on a phone
// (target <= 20 ms per 320 px selfie). Prints a markdown table of medians and
// 90th percentiles. Weights do not change the speed, so without --run the
// classifier is the pretrained backbone with an untrained map7 head.
//
//   bench_predict [--run RUN] [--photos DIR] [--count 60] [--threads 1]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include "faceocc/cache_paths.hpp"
#include "faceocc/face/find_and_align.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/occlusion_net.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/run/run_dir.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace faceocc;

static double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

static std::pair<double, double> median_p90(std::vector<double> v) {
  if (v.empty()) return {0, 0};
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 9 / 10)]};
}

int main(int argc, char** argv) {
  std::string run, photos = "../shared/data/dev/1_1_0";
  int count = 60, threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::puts("usage: bench_predict [--run RUN] [--photos DIR] [--count N] [--threads T]");
      return 0;
    }
    if (i + 1 >= argc) { std::fprintf(stderr, "bench_predict: %s needs a value\n", a.c_str()); return 2; }
    if (a == "--run") run = argv[++i];
    else if (a == "--photos") photos = argv[++i];
    else if (a == "--count") count = std::stoi(argv[++i]);
    else if (a == "--threads") threads = std::stoi(argv[++i]);
    else { std::fprintf(stderr, "bench_predict: unknown option %s\n", a.c_str()); return 2; }
  }
  if (!fs::is_directory(photos)) { std::fprintf(stderr, "bench_predict: %s: no such folder\n", photos.c_str()); return 2; }
  tune_cpu({threads, true});
  cv::setNumThreads(threads > 1 ? threads : 0);  // 0: OpenCV runs in the calling thread

  OcclusionNet net(FeatureTap::Map7, 4);
  if (!run.empty()) net = RunDir(run).load_best();  // the run's head and task, checksum checked
  else net->backbone = import_tfjs(default_weights_json());
  net->eval();
  const BlazeFace detector(default_detector_dir());

  auto files = list_images(photos);
  std::vector<fs::path> pick;  // an even sample: names cluster by source
  const size_t n = std::min(files.size(), size_t(count));
  for (size_t k = 0; k < n; ++k) pick.push_back(files[k * files.size() / n]);

  torch::NoGradGuard ng;
  std::vector<double> decode, detect, align, classify, total;
  int no_face = 0;
  for (int pass = 0; pass < 2; ++pass) {  // pass 0 warms caches and allocators
    for (const auto& f : pick) {
      const auto t0 = Clock::now();
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      const double t_dec = ms_since(t0);
      const auto t1 = Clock::now();
      const auto faces = detector.detect(img);
      const double t_det = ms_since(t1);
      if (faces.empty()) { no_face += pass; continue; }
      const auto t2 = Clock::now();
      const cv::Mat crop = align_face(img, four_points(faces[0]), 112);
      const double t_al = ms_since(t2);
      const auto t3 = Clock::now();
      const torch::Tensor p = torch::softmax(net->forward(preprocess_rgb_u8(to_rgb_batch({crop}))), 1);
      (void)p.argmax().item<int64_t>();
      const double t_cls = ms_since(t3);
      if (pass == 0) continue;
      decode.push_back(t_dec), detect.push_back(t_det), align.push_back(t_al), classify.push_back(t_cls);
      total.push_back(t_dec + t_det + t_al + t_cls);
    }
  }
  std::printf("occpredict per photo, %d thread(s), %zu photos from %s (%d without a face, not timed)\n", threads,
              pick.size(), photos.c_str(), no_face);
  std::printf("| stage | median ms | p90 ms |\n|---|---|---|\n");
  for (auto [name, v] : {std::pair{"decode (JPEG)", &decode}, std::pair{"find face (BlazeFace)", &detect},
                         std::pair{"align (112x112)", &align}, std::pair{"classify (MobileFaceNet + head)", &classify},
                         std::pair{"total", &total}}) {
    const auto [m, p] = median_p90(*v);
    std::printf("| %s | %.1f | %.1f |\n", name, m, p);
  }
  return 0;
}
