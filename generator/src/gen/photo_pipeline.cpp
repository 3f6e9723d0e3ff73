#include "faceocc/gen/photo_pipeline.hpp"

#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace faceocc {

void jitter_face(cv::Mat& image, Landmarks68& pts, Rng& rng, const PhotoPipelineOptions& o) {
  const double scale = 1.0 + rng.uniform(-o.max_scale, o.max_scale);
  const double angle = rng.uniform(-o.max_rotation_deg, o.max_rotation_deg);
  const double dx = rng.uniform(-o.max_shift, o.max_shift) * image.cols;
  const double dy = rng.uniform(-o.max_shift, o.max_shift) * image.rows;
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(image.cols / 2.0f, image.rows / 2.0f), angle, scale);
  m.at<double>(0, 2) += dx;
  m.at<double>(1, 2) += dy;
  cv::Mat out;
  // Reflected borders: a constant border would be a frame only jittered crops have.
  cv::warpAffine(image, out, m, image.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
  image = out;
  std::vector<cv::Point2f> p(pts.begin(), pts.end()), q;
  cv::transform(p, q, m);
  std::copy(q.begin(), q.end(), pts.begin());
}

void photograph(cv::Mat& image, Rng& rng, const PhotoPipelineOptions& o) {
  const double exposure = std::pow(2.0, rng.uniform(-o.max_exposure, o.max_exposure));
  const double contrast = 1.0 + rng.uniform(-o.max_contrast, o.max_contrast);
  const double gamma = 1.0 + rng.uniform(-o.max_gamma, o.max_gamma);
  const cv::Vec3d cast(1.0 + rng.uniform(-o.max_cast, o.max_cast), 1.0, 1.0 + rng.uniform(-o.max_cast, o.max_cast));
  const double blur = rng.uniform(0.0, o.max_blur) * image.cols / 256.0;
  const double noise = rng.uniform(0.0, o.max_noise);
  const uint64_t noise_seed = rng.next();
  const int quality = o.jpeg_min + rng.below(o.jpeg_max - o.jpeg_min + 1);

  // Light and colour through a lookup table per channel.
  cv::Mat lut(1, 256, CV_8UC3);
  for (int v = 0; v < 256; ++v)
    for (int k = 0; k < 3; ++k) {
      double x = std::pow(v / 255.0, gamma) * exposure * cast[k];
      x = (x - 0.5) * contrast + 0.5;
      lut.at<cv::Vec3b>(0, v)[k] = cv::saturate_cast<uchar>(x * 255.0);
    }
  cv::LUT(image, lut, image);
  if (blur > 0.15) cv::GaussianBlur(image, image, cv::Size(0, 0), blur);
  if (noise > 0.3) {
    cv::Mat n(image.size(), CV_16SC3);
    cv::RNG r(noise_seed);
    r.fill(n, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(noise));
    cv::Mat s;
    image.convertTo(s, CV_16SC3);
    s += n;
    s.convertTo(image, CV_8UC3);
  }
  std::vector<uchar> jpg;
  cv::imencode(".jpg", image, jpg, {cv::IMWRITE_JPEG_QUALITY, quality});
  image = cv::imdecode(jpg, cv::IMREAD_COLOR);
}

}  // namespace faceocc
