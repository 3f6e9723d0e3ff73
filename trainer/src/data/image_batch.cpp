#include "faceocc/train/data/image_batch.hpp"

#include <stdexcept>

#include <opencv2/imgproc.hpp>

namespace faceocc {

torch::Tensor to_rgb_batch(const std::vector<cv::Mat>& crops) {
  if (crops.empty()) throw std::invalid_argument("to_rgb_batch: no images");
  const int h = crops[0].rows, w = crops[0].cols;
  torch::Tensor out = torch::empty({int64_t(crops.size()), h, w, 3}, torch::kUInt8);
  for (size_t i = 0; i < crops.size(); ++i) {
    const cv::Mat& c = crops[i];
    if (c.rows != h || c.cols != w || c.depth() != CV_8U)
      throw std::invalid_argument("to_rgb_batch: crop " + std::to_string(i) + " is not 8-bit " +
                                  std::to_string(w) + "x" + std::to_string(h));
    cv::Mat dst(h, w, CV_8UC3, out[int64_t(i)].data_ptr());  // write straight into the tensor
    const int code = c.channels() == 1 ? cv::COLOR_GRAY2RGB : c.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB;
    cv::cvtColor(c, dst, code);
  }
  return out;
}

}  // namespace faceocc
