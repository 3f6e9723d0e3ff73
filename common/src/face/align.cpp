#include "faceocc/face/align.hpp"

#include <opencv2/imgproc.hpp>

namespace faceocc {

const FivePoints& insightface_template_112() {
  static const FivePoints t = {cv::Point2f{38.2946f, 51.6963f}, cv::Point2f{73.5318f, 51.5014f},
                               cv::Point2f{56.0252f, 71.7366f}, cv::Point2f{41.5493f, 92.3655f},
                               cv::Point2f{70.7299f, 92.2041f}};
  return t;
}

FivePoints five_points(const Landmarks68& p) {
  auto mean = [&](int a, int b) {
    cv::Point2f s{0, 0};
    for (int i = a; i <= b; ++i) s += p[i];
    return s * (1.0f / float(b - a + 1));
  };
  return {mean(36, 41), mean(42, 47), p[30], p[48], p[54]};
}

const FourPoints& insightface_template4_112() {
  static const FourPoints t = four_points(insightface_template_112());
  return t;
}

FourPoints four_points(const FivePoints& f) { return {f[0], f[1], f[2], (f[3] + f[4]) * 0.5f}; }

cv::Mat similarity_transform(const FivePoints& src, const FivePoints& dst) {
  return similarity_transform(src.data(), dst.data(), int(src.size()));
}

cv::Mat similarity_transform(const cv::Point2f* src, const cv::Point2f* dst, int n) {
  cv::Point2d ms{0, 0}, md{0, 0};
  for (int i = 0; i < n; ++i) { ms += cv::Point2d(src[i]); md += cv::Point2d(dst[i]); }
  ms *= 1.0 / n;
  md *= 1.0 / n;
  cv::Matx22d cov = cv::Matx22d::zeros();
  double var_s = 0;
  for (int i = 0; i < n; ++i) {
    const cv::Point2d a = cv::Point2d(src[i]) - ms, b = cv::Point2d(dst[i]) - md;
    cov += cv::Matx22d(b.x * a.x, b.x * a.y, b.y * a.x, b.y * a.y);
    var_s += a.dot(a);
  }
  cov *= 1.0 / n;
  var_s /= n;
  cv::Mat w, u, vt;
  cv::SVD::compute(cv::Mat(cov), w, u, vt);
  // Reflection guard: force det(R) = +1.
  cv::Matx22d d = cv::Matx22d::eye();
  if (cv::determinant(cv::Mat(cov)) < 0) d(1, 1) = -1;
  const cv::Matx22d U(u), Vt(vt);
  const cv::Matx22d R = U * d * Vt;
  const double scale = var_s > 0 ? (w.at<double>(0) * d(0, 0) + w.at<double>(1) * d(1, 1)) / var_s : 1.0;
  const cv::Vec2d t = cv::Vec2d(md.x, md.y) - scale * (R * cv::Vec2d(ms.x, ms.y));
  cv::Mat m = (cv::Mat_<double>(2, 3) << scale * R(0, 0), scale * R(0, 1), t[0],
                                         scale * R(1, 0), scale * R(1, 1), t[1]);
  return m;
}

template <size_t N>
static cv::Mat align_to(const cv::Mat& image, const std::array<cv::Point2f, N>& src,
                        std::array<cv::Point2f, N> dst, int size) {
  for (auto& p : dst) p *= float(size) / 112.0f;
  cv::Mat out;
  cv::warpAffine(image, out, similarity_transform(src.data(), dst.data(), int(N)), cv::Size(size, size),
                 cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  return out;
}

cv::Mat align_face(const cv::Mat& image, const FivePoints& five, int size) {
  return align_to(image, five, insightface_template_112(), size);
}

cv::Mat align_face(const cv::Mat& image, const FourPoints& four, int size) {
  return align_to(image, four, insightface_template4_112(), size);
}

}  // namespace faceocc
