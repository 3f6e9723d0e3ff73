// Face detection (dlib HOG frontal detector) and the 68-point dlib landmark fit.
// One FaceFinder per thread: dlib's detector and predictor keep scratch state.
#pragma once
#include <array>
#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

using Landmarks68 = std::array<cv::Point2f, 68>;

struct DetectedFace {
  cv::Rect box;           // detector rectangle, image coordinates
  double score = 0.0;     // HOG detection confidence (higher is surer); for a face only BlazeFace
                          // found (the clean-face index), its probability
  Landmarks68 points{};   // dlib 68-point layout (iBUG 300-W)
};

class FaceFinder {
 public:
  // Throws std::runtime_error naming the file when the model cannot be read.
  explicit FaceFinder(const std::filesystem::path& shape_predictor_dat);
  ~FaceFinder();
  FaceFinder(FaceFinder&&) noexcept;
  FaceFinder& operator=(FaceFinder&&) noexcept;

  // Faces in a BGR or grayscale image, largest first. `upsample` doubles the
  // image that many times before detection (HOG misses faces under ~80 px).
  std::vector<DetectedFace> find(const cv::Mat& image, int upsample = 0) const;

  // Another finder sharing this one's (read-only, 100 MB) landmark model,
  // with its own detector: one per thread.
  FaceFinder clone() const;

  // Landmarks for a face box given by the caller (e.g. from a cache).
  Landmarks68 fit(const cv::Mat& image, const cv::Rect& box) const;

 private:
  struct Impl;
  FaceFinder() = default;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faceocc
