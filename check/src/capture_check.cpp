#include "faceocc/check/capture_check.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "faceocc/check/onnx_metadata.hpp"
#include "faceocc/face/find_and_align.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static cv::dnn::Net read_classifier(const fs::path& file) {
  if (!fs::is_regular_file(file)) throw std::runtime_error(file.string() + ": no such model (occtrain writes model.onnx)");
  cv::dnn::Net net;
  try {
    net = cv::dnn::readNetFromONNX(file.string());
  } catch (const cv::Exception& e) {
    throw std::runtime_error(file.string() + ": not an ONNX model OpenCV can read (" + e.err + ")");
  }
  if (net.empty()) throw std::runtime_error(file.string() + ": not an ONNX model OpenCV can read");
  return net;
}

CaptureCheck::CaptureCheck(const fs::path& model_onnx, const fs::path& detector_dir)
    : net_(read_classifier(model_onnx)),
      finder_(detector_dir),
      stored_(threshold_from_metadata(read_onnx_metadata(model_onnx), model_onnx.string())),
      op_(stored_) {
  const CheckResult probe = classify_crop(cv::Mat(112, 112, CV_8UC3, cv::Scalar::all(128)));
  (void)probe;  // classify_crop throws when the model is not a 4-class one
}

CheckResult CaptureCheck::classify_crop(const cv::Mat& crop) const {
  cv::Mat rgb, f;
  cv::cvtColor(crop, rgb, crop.channels() == 1 ? cv::COLOR_GRAY2RGB : crop.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
  rgb.convertTo(f, CV_32F);  // the model takes 0..255 RGB and normalises inside
  const int shape[] = {1, 112, 112, 3};
  net_.setInput(cv::Mat(4, shape, CV_32F, f.ptr<float>()));
  const cv::Mat p = net_.forward();
  if (p.total() != size_t(kNumClasses))
    throw std::runtime_error("the classifier outputs " + std::to_string(p.total()) +
                             " values, not the 4 classes (a --task binary model cannot judge regions)");
  std::array<float, kNumClasses> probs{};
  for (int k = 0; k < kNumClasses; ++k) probs[size_t(k)] = p.ptr<float>()[k];
  return decide(probs, op_);
}

std::vector<CheckResult> CaptureCheck::check(const cv::Mat& photo, CheckTimings* timings) const {
  auto ms = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  const auto t0 = Clock::now();
  const std::vector<FaceDetection> faces = finder_.detect(photo);
  const double find = ms(t0);
  std::vector<CheckResult> out;
  double align = 0, classify = 0;
  for (const FaceDetection& d : faces) {
    const auto t1 = Clock::now();
    const cv::Mat crop = align_face(photo, four_points(d), 112);
    align += ms(t1);
    const auto t2 = Clock::now();
    CheckResult r = classify_crop(crop);
    classify += ms(t2);
    r.box = cv::Rect(int(std::lround(d.box.x)), int(std::lround(d.box.y)), int(std::lround(d.box.width)), int(std::lround(d.box.height)));
    r.faces = int(faces.size());
    out.push_back(r);
  }
  if (timings) *timings = {find, align, classify};
  return out;
}

}  // namespace faceocc
