#include "faceocc/face/landmarks.hpp"

#include <algorithm>
#include <stdexcept>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/blas_lock.hpp"

namespace faceocc {

// dlib calls LAPACK (an SVD per step of the shape predictor; more while loading its
// models), and BLAS here is not safe on two threads at once: those calls run under
// a BlasLock. Its HOG detector, nearly all of the cost, calls no BLAS and runs freely.
struct FaceFinder::Impl {
  // dlib's detector mutates scratch buffers inside operator(): one per thread.
  mutable dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  std::shared_ptr<const dlib::shape_predictor> model;
  const dlib::shape_predictor& predictor() const { return *model; }
};

FaceFinder::FaceFinder(const std::filesystem::path& dat) {
  {
    BlasLock blas;
    impl_ = std::make_unique<Impl>();
  }
  if (!std::filesystem::is_regular_file(dat))
    throw std::runtime_error(dat.string() + ": dlib shape predictor not found (install libdlib-data: scripts/setup.sh)");
  auto sp = std::make_shared<dlib::shape_predictor>();
  try {
    BlasLock blas;
    dlib::deserialize(dat.string()) >> *sp;
  } catch (const std::exception& e) {
    throw std::runtime_error(dat.string() + ": not a dlib shape predictor (" + e.what() + ")");
  }
  if (sp->num_parts() != 68)
    throw std::runtime_error(dat.string() + ": expected a 68-point model, got " + std::to_string(sp->num_parts()) +
                             " points");
  impl_->model = std::move(sp);
}

FaceFinder FaceFinder::clone() const {
  FaceFinder f;
  BlasLock blas;
  f.impl_ = std::make_unique<Impl>();
  f.impl_->model = impl_->model;
  return f;
}

FaceFinder::~FaceFinder() = default;
FaceFinder::FaceFinder(FaceFinder&&) noexcept = default;
FaceFinder& FaceFinder::operator=(FaceFinder&&) noexcept = default;

static cv::Mat to_gray(const cv::Mat& image) {
  if (image.empty()) throw std::invalid_argument("FaceFinder: empty image");
  cv::Mat gray;
  if (image.channels() == 1) gray = image;
  else if (image.channels() == 4) cv::cvtColor(image, gray, cv::COLOR_BGRA2GRAY);
  else cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  if (gray.depth() != CV_8U) gray.convertTo(gray, CV_8U);
  return gray;
}

static Landmarks68 fit_gray(const dlib::shape_predictor& sp, const cv::Mat& gray, const dlib::rectangle& r,
                            float inv_scale) {
  const dlib::cv_image<unsigned char> img(gray);
  dlib::full_object_detection shape;
  {
    BlasLock blas;
    shape = sp(img, r);
  }
  Landmarks68 pts{};
  for (unsigned i = 0; i < 68; ++i)
    pts[i] = cv::Point2f(float(shape.part(i).x()) * inv_scale, float(shape.part(i).y()) * inv_scale);
  return pts;
}

std::vector<DetectedFace> FaceFinder::find(const cv::Mat& image, int upsample) const {
  cv::Mat gray = to_gray(image);
  const float scale = float(1 << std::max(0, upsample));
  if (upsample > 0) cv::resize(gray, gray, cv::Size(), scale, scale, cv::INTER_LINEAR);
  std::vector<dlib::rect_detection> dets;
  impl_->detector(dlib::cv_image<unsigned char>(gray), dets, 0.0);
  std::vector<DetectedFace> faces;
  faces.reserve(dets.size());
  for (const auto& d : dets) {
    DetectedFace f;
    const auto& r = d.rect;
    f.box = cv::Rect(int(r.left() / scale), int(r.top() / scale), int(r.width() / scale), int(r.height() / scale));
    f.score = d.detection_confidence;
    f.points = fit_gray(impl_->predictor(), gray, r, 1.0f / scale);
    faces.push_back(f);
  }
  std::stable_sort(faces.begin(), faces.end(), [](const DetectedFace& a, const DetectedFace& b) {
    return a.box.area() > b.box.area();
  });
  return faces;
}

Landmarks68 FaceFinder::fit(const cv::Mat& image, const cv::Rect& box) const {
  const cv::Mat gray = to_gray(image);
  return fit_gray(impl_->predictor(), gray, dlib::rectangle(box.x, box.y, box.x + box.width - 1, box.y + box.height - 1),
                  1.0f);
}

}  // namespace faceocc
