// OpenCV images -> the uint8 RGB batch tensor MobileFaceNet's preprocessing takes.
//
// Thread safety: pure functions.
#pragma once
#include <vector>

#include <opencv2/core.hpp>
#include <torch/torch.h>

namespace faceocc {

// BGR (or gray / BGRA) crops, all the same size -> uint8 [N,H,W,3] RGB.
torch::Tensor to_rgb_batch(const std::vector<cv::Mat>& crops);

}  // namespace faceocc
