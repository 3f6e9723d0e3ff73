#include "faceocc/gen/least_squares.hpp"

#include <cmath>
#include <stdexcept>

namespace faceocc {

namespace {

// Solves [[a, b], [b, c]] (p, q) = (u, v); nullopt when the matrix is (nearly) singular,
// i.e. the points the sums come from lie on one line.
std::optional<cv::Vec2d> solve_sym2(double a, double b, double c, double u, double v) {
  const double det = a * c - b * b, scale = a + c;
  if (!(scale > 0) || !(det > 1e-12 * scale * scale)) return std::nullopt;
  return cv::Vec2d((c * u - b * v) / det, (a * v - b * u) / det);
}

}  // namespace

cv::Mat fit_affine(const std::vector<cv::Point2f>& src, const std::vector<cv::Point2f>& dst) {
  if (src.size() != dst.size() || src.size() < 3) throw std::invalid_argument("fit_affine: needs >= 3 point pairs");
  const double n = double(src.size());
  cv::Point2d ms(0, 0), md(0, 0);
  for (size_t i = 0; i < src.size(); ++i) ms += cv::Point2d(src[i]), md += cv::Point2d(dst[i]);
  ms *= 1.0 / n;
  md *= 1.0 / n;
  // Centred sums: the translation separates from the linear part.
  double uu = 0, uv = 0, vv = 0, ux = 0, vx = 0, uy = 0, vy = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    const double u = src[i].x - ms.x, v = src[i].y - ms.y, x = dst[i].x - md.x, y = dst[i].y - md.y;
    uu += u * u, uv += u * v, vv += v * v;
    ux += u * x, vx += v * x, uy += u * y, vy += v * y;
  }
  const auto row_x = solve_sym2(uu, uv, vv, ux, vx), row_y = solve_sym2(uu, uv, vv, uy, vy);
  if (!row_x || !row_y) throw std::invalid_argument("fit_affine: the source points lie on one line");
  cv::Mat m(2, 3, CV_64F);
  const cv::Vec2d r[2] = {*row_x, *row_y};
  const double t[2] = {md.x, md.y};
  for (int k = 0; k < 2; ++k) {
    m.at<double>(k, 0) = r[k][0];
    m.at<double>(k, 1) = r[k][1];
    m.at<double>(k, 2) = t[k] - r[k][0] * ms.x - r[k][1] * ms.y;
  }
  return m;
}

void PlaneFit::add(double x, double y, double z) {
  ++n_;
  sx_ += x, sy_ += y, sz_ += z;
  sxx_ += x * x, sxy_ += x * y, syy_ += y * y, sxz_ += x * z, syz_ += y * z;
}

std::optional<cv::Vec3d> PlaneFit::solve() const {
  if (n_ < 3) return std::nullopt;
  const double n = double(n_), mx = sx_ / n, my = sy_ / n, mz = sz_ / n;
  const auto g = solve_sym2(sxx_ - n * mx * mx, sxy_ - n * mx * my, syy_ - n * my * my, sxz_ - n * mx * mz,
                            syz_ - n * my * mz);
  if (!g) return std::nullopt;
  return cv::Vec3d(mz - (*g)[0] * mx - (*g)[1] * my, (*g)[0], (*g)[1]);
}

}  // namespace faceocc
