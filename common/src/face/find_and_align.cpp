#include "faceocc/face/find_and_align.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace faceocc {

FourPoints four_points(const FaceDetection& d) {
  // BlazeFace names the subject's eyes: the right eye is on the image's left.
  return {d.keypoints[kRightEye], d.keypoints[kLeftEye], d.keypoints[kNoseTip], d.keypoints[kMouthCentre]};
}

static AlignedFace aligned(const cv::Mat& image, const FaceDetection& d, int faces, int size) {
  AlignedFace a;
  a.crop = align_face(image, four_points(d), size);
  a.face_found = true;
  a.faces = faces;
  a.face = d;
  return a;
}

std::vector<AlignedFace> find_and_align_all(const cv::Mat& image, const BlazeFace& detector, int size) {
  const auto dets = detector.detect(image);
  std::vector<AlignedFace> out;
  for (const auto& d : dets) out.push_back(aligned(image, d, int(dets.size()), size));
  return out;
}

AlignedFace find_and_align(const cv::Mat& image, const BlazeFace& detector, int size) {
  const auto dets = detector.detect(image);
  if (!dets.empty()) return aligned(image, dets.front(), int(dets.size()), size);
  AlignedFace a;
  a.crop = centre_crop(image, size);
  return a;
}

AlignedFace align_known_face(const cv::Mat& image, const BlazeFace& detector, const cv::Rect2f& box, int size) {
  FaceDetection prior;
  prior.box = box;
  if (const auto d = detector.refine(image, prior)) return aligned(image, *d, 1, size);
  return {};
}

cv::Mat centre_crop(const cv::Mat& img, int size) {
  const int side = std::min(img.cols, img.rows);
  cv::Mat out;
  cv::resize(img(cv::Rect((img.cols - side) / 2, (img.rows - side) / 2, side, side)), out, {size, size}, 0, 0,
             cv::INTER_AREA);
  return out;
}

}  // namespace faceocc
