// What an app embeds: a trained run in; a photo (or an aligned crop) in; which
// part of the face is covered, the class probabilities and what to tell the
// user out. The face is found by BlazeFace (masks and sunglasses do not hide
// it) and aligned exactly as in training. The verdict uses the run's operating point
// (operating_point.json: threshold and temperature, as in its model.onnx) unless told otherwise.
//
//   const Predictor p("runs/occtrain-20261127-210000", default_detector_dir());
//   for (const FacePrediction& f : p.classify_photo(cv::imread("selfie.jpg"))) ... f.advice
//
// Thread safety: classify_* are const but the detector's networks are not
// shareable: one Predictor per thread (construct more, they are cheap next to a photo).
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/check/verdict.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/face/blazeface.hpp"
#include "faceocc/train/model/occlusion_net.hpp"

namespace faceocc {

using FacePrediction = Verdict;  // class, probabilities, advice, box, faces

class Predictor {
 public:
  // Loads RUN's best.pt (head and task from its config.ini, checksum checked),
  // its operating point (the temperature folded into the head), and the BlazeFace
  // models. Throws std::runtime_error naming the file when one is missing or
  // damaged, or the run is a --task binary run.
  Predictor(const std::filesystem::path& run, const std::filesystem::path& detector_dir);

  // The run's operating point (nullopt: a run trained before operating points).
  const std::optional<CoveredThreshold>& stored_operating_point() const { return stored_; }
  // What classify_* decide with from now on (nullopt: the most probable class).
  void set_operating_point(const std::optional<CoveredThreshold>& t) { op_ = t; }
  const std::optional<CoveredThreshold>& operating_point() const { return op_; }

  // requires: a 112x112 BGR crop aligned by find_and_align.
  FacePrediction classify_crop(const cv::Mat& crop) const;

  // requires: a non-empty 8-bit BGR (or grey, BGRA) photo. Every face found,
  // the largest first; empty when there is none.
  std::vector<FacePrediction> classify_photo(const cv::Mat& photo) const;

  // False when best.pt was written before checkpoints had checksums (loaded unverified).
  bool verified() const { return verified_; }

 private:
  mutable OcclusionNet net_{nullptr};  // forward() is not const in LibTorch; eval mode, no grad: not changed
  BlazeFace finder_;
  bool verified_ = true;
  std::optional<CoveredThreshold> stored_, op_;
};

}  // namespace faceocc
