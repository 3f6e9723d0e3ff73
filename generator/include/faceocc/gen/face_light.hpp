// The light falling on a face, as a smooth relative map: an occluder lying on
// a side-lit face is side-lit too. Light is told from albedo by where it is
// measured: a plane L = a + b x + c y is fitted (least squares) to the
// luminance of the visible skin only (inside the jaw line and brows, without
// eyes, brows, nostrils and lips, and without pixels already occluded), so
// dark hair or a bright background beside the face never count as light.
//
// Thread safety: pure function.
#pragma once
#include <opencv2/core.hpp>

#include "faceocc/face/landmarks.hpp"

namespace faceocc {

// requires: bgr CV_8UC3; occluded CV_8UC1 of bgr's size (0 = visible) or empty;
//           pts the face's landmarks in bgr; roi inside bgr.
// ensures: CV_32F map of roi's size: the fitted light relative to its mean on
// the skin, blended towards 1 by (1 - strength), clamped to [0.4, 1.6]; all
// ones when fewer than 50 skin pixels are visible.
cv::Mat relative_light(const cv::Mat& bgr, const cv::Mat& occluded, const Landmarks68& pts, cv::Rect roi,
                       double strength = 1.0);

}  // namespace faceocc
