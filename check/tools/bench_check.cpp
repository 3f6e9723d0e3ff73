// bench_check: what occcheck (the OpenCV-only capture check) costs per photo on
// ONE core, stage by stage — decode, find the face (BlazeFace), align, classify
// (the ONNX model through OpenCV's dnn) — with model loading and process start
// excluded. Prints a markdown table of medians and 90th percentiles, and the
// model file sizes. The target: <= 20 ms per 320 px selfie.
//
//   bench_check --model RUN/model.onnx [--photos DIR] [--count 60]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/capture_check.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace faceocc;

int main(int argc, char** argv) {
  std::string model, photos = "../shared/data/dev/1_1_0";
  int count = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--model") model = argv[i + 1];
    else if (a == "--photos") photos = argv[i + 1];
    else if (a == "--count") count = std::max(1, std::atoi(argv[i + 1]));
    else { std::fprintf(stderr, "bench_check: unknown option %s\n", a.c_str()); return 2; }
  }
  if (model.empty() || !fs::is_directory(photos)) {
    std::fprintf(stderr, "usage: bench_check --model MODEL.onnx [--photos DIR] [--count N]\n");
    return 2;
  }
  cv::setNumThreads(0);  // one core: OpenCV runs in the calling thread
  const CaptureCheck check(model, default_detector_dir());
  const auto files = list_images(photos);
  std::vector<fs::path> pick;  // an even sample: names cluster by source
  const size_t n = std::min(files.size(), size_t(count));
  for (size_t k = 0; k < n; ++k) pick.push_back(files[k * files.size() / n]);
  std::vector<double> decode, find, align, classify, total;
  int no_face = 0;
  for (int pass = 0; pass < 2; ++pass)  // pass 0 warms caches and allocators
    for (const auto& f : pick) {
      const auto t0 = Clock::now();
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      const double dec = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      CheckTimings t;
      const auto faces = check.check(img, &t);
      if (faces.empty()) { no_face += pass; continue; }
      if (pass == 0) continue;
      decode.push_back(dec), find.push_back(t.find_ms), align.push_back(t.align_ms / faces.size());
      classify.push_back(t.classify_ms / faces.size()), total.push_back(dec + t.find_ms + (t.align_ms + t.classify_ms) / faces.size());
    }
  auto stat = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? std::pair{0.0, 0.0} : std::pair{v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 9 / 10)]};
  };
  std::printf("occcheck (OpenCV only) per photo, 1 thread, %zu photos from %s (%d without a face, not timed)\n", pick.size(),
              photos.c_str(), no_face);
  std::printf("| stage | median ms | p90 ms |\n|---|---|---|\n");
  for (auto [name, v] : {std::pair{"decode (JPEG)", &decode}, std::pair{"find face (BlazeFace, OpenCV dnn)", &find},
                         std::pair{"align (112x112)", &align}, std::pair{"classify (ONNX, OpenCV dnn)", &classify},
                         std::pair{"total", &total}}) {
    const auto [m, p] = stat(*v);
    std::printf("| %s | %.1f | %.1f |\n", name, m, p);
  }
  std::printf("\n| model file | MB |\n|---|---|\n| %s | %.1f |\n", fs::path(model).filename().c_str(), double(fs::file_size(model)) / 1e6);
  for (const char* f : {"face_detection_front_128x128_barracuda.onnx", "face_detection_back_256x256_barracuda.onnx"})
    if (fs::exists(default_detector_dir() / f)) std::printf("| %s | %.1f |\n", f, double(fs::file_size(default_detector_dir() / f)) / 1e6);
  return 0;
}
