// bench_detect: how often, and how fast, BlazeFace finds the face in labelled
// real photos (ROOT/<class>/*), per class and per detector pass: the short-range
// model on the letterboxed photo, on the photo framed by a border, the
// full-range model, and the cascade find_and_align uses. One thread.
//
//   bench_detect ../shared/data/dev [--per-class 100]
//
// With --eyes, it says instead where the eyes are in folders of aligned crops
// (found again by the detector on each crop): crops from real photos and from
// occgen should agree, or the framing tells the classifier where a crop came from.
//
//   bench_detect --eyes DIR [DIR ...]
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/classes.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/face/blazeface.hpp"
#include "faceocc/gen/face_source.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Eye positions (found again by the detector) in every crop under each folder.
static int eyes(const std::vector<fs::path>& dirs) {
  const faceocc::BlazeFace det(faceocc::default_detector_dir());
  std::printf("| crops | n | eyes found | image-left eye x, y (mean ± sd) | image-right eye x, y (mean ± sd) | eye distance |\n"
              "|---|---|---|---|---|---|\n");
  for (const auto& d : dirs) {
    std::vector<double> v[5];
    long n = 0;
    for (const auto& f : faceocc::list_images(d)) {
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      if (img.empty()) continue;
      ++n;
      const auto found = det.detect(img);
      if (found.empty()) continue;
      const auto& k = found[0].keypoints;
      const cv::Point2f l = k[faceocc::kRightEye], r = k[faceocc::kLeftEye];
      for (auto [i, x] : {std::pair{0, l.x}, {1, l.y}, {2, r.x}, {3, r.y}, {4, float(cv::norm(r - l))}}) v[i].push_back(x);
    }
    auto ms = [](const std::vector<double>& x) {
      double m = 0, s = 0;
      for (double a : x) m += a;
      m /= std::max<size_t>(1, x.size());
      for (double a : x) s += (a - m) * (a - m);
      return std::pair{m, std::sqrt(s / std::max<size_t>(1, x.size()))};
    };
    const auto [lx, slx] = ms(v[0]); const auto [ly, sly] = ms(v[1]);
    const auto [rx, srx] = ms(v[2]); const auto [ry, sry] = ms(v[3]); const auto [e, se] = ms(v[4]);
    std::printf("| %s | %ld | %.1f %% | %.1f ± %.1f, %.1f ± %.1f | %.1f ± %.1f, %.1f ± %.1f | %.1f ± %.1f |\n", d.string().c_str(), n,
                n ? 100.0 * double(v[0].size()) / double(n) : 0.0, lx, slx, ly, sly, rx, srx, ry, sry, e, se);
  }
  return 0;
}

int main(int argc, char** argv) {
  cv::setNumThreads(0);
  if (argc >= 3 && std::string(argv[1]) == "--eyes") return eyes(std::vector<fs::path>(argv + 2, argv + argc));
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << "usage: bench_detect ROOT [--per-class N] [--border F]\n"
                 "ROOT holds <class>/ folders of photos (e.g. ../shared/data/dev)\n";
    return argc < 2 ? 2 : 0;
  }
  const fs::path root = argv[1];
  int per_class = 100;
  float border = 0.3f;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--per-class") per_class = std::stoi(argv[i + 1]);
    else if (a == "--border") border = std::stof(argv[i + 1]);
    else { std::cerr << "bench_detect: unknown option " << a << "\n"; return 2; }
  }
  cv::setNumThreads(0);
  const faceocc::BlazeFace det(faceocc::default_detector_dir(), {0.5f, 0.6f, 0.3f, border, true});
  struct Pass { const char* name; bool full; float border; };
  const std::vector<Pass> passes = {{"short, letterbox", false, 0.0f}, {"short, border", false, border},
                                    {"full, letterbox", true, 0.0f}, {"full, border", true, border}};
  std::printf("| class | photos | %s | %s | %s | %s | cascade | cascade ms (median) | decode ms |\n|---|---|---|---|---|---|---|---|---|\n",
              passes[0].name, passes[1].name, passes[2].name, passes[3].name);
  for (const auto& info : faceocc::class_table()) {
    const char* cls = info.folder;
    if (!fs::is_directory(root / cls)) continue;
    auto files = faceocc::list_images(root / cls);
    // An even sample over the sorted list, not the first N (file names cluster by source).
    std::vector<fs::path> pick;
    const size_t n = std::min(files.size(), size_t(per_class));
    for (size_t k = 0; k < n; ++k) pick.push_back(files[k * files.size() / n]);
    std::vector<int> found(passes.size(), 0);
    int cascade = 0;
    std::vector<double> ms, dec;
    for (const auto& f : pick) {
      const auto t0 = Clock::now();
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      dec.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (img.empty()) continue;
      for (size_t p = 0; p < passes.size(); ++p) found[p] += !det.detect_once(img, passes[p].full, passes[p].border).empty();
      const auto t1 = Clock::now();
      cascade += !det.detect(img).empty();
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t1).count());
    }
    const double N = double(pick.size());
    std::printf("| %s | %zu | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f | %.1f |\n", cls, pick.size(),
                100 * found[0] / N, 100 * found[1] / N, 100 * found[2] / N, 100 * found[3] / N, 100 * cascade / N,
                median(ms), median(dec));
  }
  return 0;
}
