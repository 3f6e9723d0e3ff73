#include "faceocc/colour_lab.hpp"

#include <mutex>

#include <opencv2/imgproc.hpp>

namespace faceocc {

void bgr_to_lab(const cv::Mat& bgr, cv::Mat& lab) {
  static std::once_flag tables;
  std::call_once(tables, [] {  // one pixel builds every table (8-bit and float paths share them)
    cv::Mat px(1, 1, CV_8UC3, cv::Scalar::all(0)), out;
    cv::cvtColor(px, out, cv::COLOR_BGR2Lab);
  });
  cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
}

}  // namespace faceocc
