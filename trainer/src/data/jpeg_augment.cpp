#include "faceocc/train/data/jpeg_augment.hpp"

#include <random>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace faceocc {

void jpeg_recompress(torch::Tensor& rgb_u8, uint64_t seed, const JpegAugmentOptions& opt) {
  if (opt.p <= 0 || rgb_u8.size(0) == 0) return;
  rgb_u8 = rgb_u8.contiguous();
  const int64_t n = rgb_u8.size(0), h = rgb_u8.size(1), w = rgb_u8.size(2);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> q(opt.min_quality, opt.max_quality);
  std::vector<uchar> buf;
  for (int64_t i = 0; i < n; ++i) {
    const bool pick = u(rng) < opt.p;
    const int quality = q(rng);  // drawn either way: sample i's choice does not depend on the others
    if (!pick) continue;
    // The encoder expects BGR (its luma weights differ for R and B).
    cv::Mat rgb(int(h), int(w), CV_8UC3, rgb_u8[i].data_ptr<uint8_t>()), bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    cv::imencode(".jpg", bgr, buf, {cv::IMWRITE_JPEG_QUALITY, quality});
    cv::cvtColor(cv::imdecode(buf, cv::IMREAD_COLOR), rgb, cv::COLOR_BGR2RGB);
  }
}

}  // namespace faceocc
