// Five-point similarity alignment onto the standard InsightFace 112x112
// template: the crop geometry MobileFaceNet was trained on. Used by the
// generator (--aligned) and by the trainer (real photos), so both agree.
#pragma once
#include <array>

#include <opencv2/core.hpp>

#include "faceocc/face/landmarks.hpp"

namespace faceocc {

// Image-left eye centre, image-right eye centre, nose tip, left and right
// mouth corner: the order of the InsightFace template.
using FivePoints = std::array<cv::Point2f, 5>;

// The InsightFace / ArcFace 112x112 template.
const FivePoints& insightface_template_112();

// Five points from dlib's 68: eye centres are means of 36-41 and 42-47,
// nose tip is 30, mouth corners are 48 and 54.
FivePoints five_points(const Landmarks68& pts);

// Least-squares similarity (rotation, uniform scale, translation) mapping src
// onto dst (Umeyama 1991). Returns the 2x3 matrix (CV_64F).
cv::Mat similarity_transform(const FivePoints& src, const FivePoints& dst);

// Warps `image` so that `five` lands on the template scaled to size x size.
cv::Mat align_face(const cv::Mat& image, const FivePoints& five, int size = 112);

}  // namespace faceocc
