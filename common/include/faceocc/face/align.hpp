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

// What survives occlusion, and what BlazeFace gives: image-left eye centre,
// image-right eye centre, nose tip, mouth centre.
using FourPoints = std::array<cv::Point2f, 4>;

// The same template with the mouth corners replaced by their mean.
const FourPoints& insightface_template4_112();

// Four points from five (mouth centre = mean of the corners).
FourPoints four_points(const FivePoints& five);

// Least-squares similarity (rotation, uniform scale, translation) mapping the
// n points src onto dst (Umeyama 1991). Returns the 2x3 matrix (CV_64F).
cv::Mat similarity_transform(const cv::Point2f* src, const cv::Point2f* dst, int n);
cv::Mat similarity_transform(const FivePoints& src, const FivePoints& dst);

// Warps `image` so that the points land on the template scaled to size x size.
cv::Mat align_face(const cv::Mat& image, const FivePoints& five, int size = 112);
cv::Mat align_face(const cv::Mat& image, const FourPoints& four, int size = 112);

}  // namespace faceocc
