// Resampling an RGBA cut-out with premultiplied colour: the stored colour of
// transparent pixels (a keyed-out backdrop) must not bleed into the edge.
//
// Thread safety: pure function.
#pragma once
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace faceocc {

// requires: bgra is CV_8UC4, f > 0. ensures: the image scaled by f (INTER_AREA), CV_8UC4.
inline cv::Mat resize_rgba(const cv::Mat& bgra, double f) {
  cv::Mat p;
  bgra.convertTo(p, CV_32FC4);
  std::vector<cv::Mat> ch;
  cv::split(p, ch);
  for (int k = 0; k < 3; ++k) ch[k] = ch[k].mul(ch[3]) / 255.0;
  cv::merge(ch, p);
  cv::resize(p, p, cv::Size(), f, f, cv::INTER_AREA);
  cv::split(p, ch);
  cv::Mat a = cv::max(ch[3], 1e-3);
  for (int k = 0; k < 3; ++k) ch[k] = ch[k].mul(255.0 / a);
  cv::merge(ch, p);
  cv::Mat out;
  p.convertTo(out, CV_8UC4);
  return out;
}

}  // namespace faceocc
