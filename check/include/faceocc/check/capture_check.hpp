// The capture-time check as an app compiles it: OpenCV only (no LibTorch, no
// dlib). Decode is the app's; this finds the face with BlazeFace (ONNX, masks
// and sunglasses do not hide it), aligns it as training did, runs the exported
// classifier (occtrain's model.onnx) through OpenCV's dnn module, and returns
// the class, the probabilities and the advice for the user. The verdict uses the
// operating point stored in the model (covered_threshold.hpp) unless told otherwise.
//
//   const faceocc::CaptureCheck check("model.onnx", "blazeface/");
//   for (const faceocc::CheckResult& r : check.check(photo)) ... r.advice
//
// Thread safety: check() and classify_crop() are const but OpenCV's networks
// are not shareable: one CaptureCheck per thread.
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "faceocc/check/verdict.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/face/blazeface.hpp"

namespace faceocc {

using CheckResult = Verdict;  // class, probabilities, advice, box, faces

// Milliseconds per stage of the last check() (for benchmarks).
struct CheckTimings {
  double find_ms = 0, align_ms = 0, classify_ms = 0;
};

class CaptureCheck {
 public:
  // Loads the classifier (an ONNX file occtrain or `occpredict --export X.onnx`
  // wrote) and BlazeFace's two ONNX files from detector_dir. Throws
  // std::runtime_error naming the file when one is missing, unreadable, or the
  // classifier does not output the 4 classes, or its stored operating point is malformed.
  CaptureCheck(const std::filesystem::path& model_onnx, const std::filesystem::path& detector_dir);

  // The operating point the model file stores (nullopt: a model exported without one).
  const std::optional<CoveredThreshold>& stored_operating_point() const { return stored_; }
  // What check() and classify_crop() decide with from now on (nullopt: the most probable class).
  void set_operating_point(const std::optional<CoveredThreshold>& t) { op_ = t; }
  const std::optional<CoveredThreshold>& operating_point() const { return op_; }

  // requires: a non-empty 8-bit BGR (or grey, BGRA) photo. Every face found,
  // the largest first; empty when there is none.
  std::vector<CheckResult> check(const cv::Mat& photo, CheckTimings* timings = nullptr) const;

  // requires: a 112x112 BGR crop aligned onto the InsightFace template.
  CheckResult classify_crop(const cv::Mat& crop) const;

 private:
  mutable cv::dnn::Net net_;  // forward() is not const in OpenCV
  BlazeFace finder_;
  std::optional<CoveredThreshold> stored_, op_;
};

}  // namespace faceocc
