#include "faceocc/gen/photo_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace faceocc {

const cv::Mat& noise_tile() {
  static const cv::Mat tile = [] {
    cv::Mat t(512, 512, CV_32FC3);
    cv::RNG(20261128).fill(t, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(1));
    return t;
  }();
  return tile;
}

void prepare_opencv_statics() {
  // OpenCV fills its Gaussian (ziggurat) tables on the first NORMAL draw with a
  // plain flag, not thread-safely: two threads making their first draw at once can
  // read half-filled tables, so the first samples of a parallel run came out
  // differently from run to run. One draw here, before any thread starts, settles them.
  noise_tile();
  // The first matrix expression makes OpenCV's operator table (MatOp singletons).
  const cv::Mat expr = cv::Mat::eye(2, 2, CV_32F) * 2.0 + cv::Mat::ones(2, 2, CV_32F);
  (void)expr;
}

void jitter_face(cv::Mat& image, Landmarks68& pts, Rng& rng, const PhotoPipelineOptions& o, cv::Mat* inside) {
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
  if (inside && !inside->empty()) {
    cv::warpAffine(*inside, out, m, inside->size(), cv::INTER_NEAREST, cv::BORDER_REFLECT_101);
    *inside = out;
  }
  std::vector<cv::Point2f> p(pts.begin(), pts.end()), q;
  cv::transform(p, q, m);
  std::copy(q.begin(), q.end(), pts.begin());
}

Camera draw_camera(Rng& rng, const PhotoPipelineOptions& o) {
  Camera c;
  c.exposure = std::pow(2.0, rng.uniform(-o.max_exposure, o.max_exposure));
  c.contrast = 1.0 + rng.uniform(-o.max_contrast, o.max_contrast);
  c.gamma = 1.0 + rng.uniform(-o.max_gamma, o.max_gamma);
  c.cast = cv::Vec3d(1.0 + rng.uniform(-o.max_cast, o.max_cast), 1.0, 1.0 + rng.uniform(-o.max_cast, o.max_cast));
  c.blur = rng.uniform(0.0, o.max_blur);
  c.noise = rng.uniform(0.0, o.max_noise);
  c.noise_seed = rng.next();
  c.jpeg_quality = std::min(o.jpeg_min, o.jpeg_max) + rng.below(std::abs(o.jpeg_max - o.jpeg_min) + 1);
  return c;
}

void photograph(cv::Mat& image, const Camera& c) {
  const double exposure = c.exposure, contrast = c.contrast, gamma = c.gamma, noise = c.noise;
  const cv::Vec3d cast = c.cast;
  const double blur = c.blur * image.cols / 256.0;
  const uint64_t noise_seed = c.noise_seed;

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
    // Unit Gaussian noise from a tile made once, at an offset drawn from the sample's
    // seed: the same statistics as fresh noise per pixel at a fraction of the cost.
    const cv::Mat& tile = noise_tile();
    cv::Mat f;
    image.convertTo(f, CV_32F);
    for (int y0 = 0; y0 < f.rows; y0 += tile.rows / 2)
      for (int x0 = 0; x0 < f.cols; x0 += tile.cols / 2) {  // tiles of half the noise tile, each at its own offset
        const cv::Rect dst(x0, y0, std::min(tile.cols / 2, f.cols - x0), std::min(tile.rows / 2, f.rows - y0));
        const uint64_t h = splitmix64(noise_seed ^ (uint64_t(y0) << 32 | uint64_t(x0)));
        const cv::Rect src(int(h % uint64_t(tile.cols / 2)), int((h >> 32) % uint64_t(tile.rows / 2)), dst.width, dst.height);
        cv::Mat part = f(dst);
        cv::scaleAdd(tile(src), noise, part, part);
      }
    f.convertTo(image, CV_8U);
  }
}

}  // namespace faceocc
