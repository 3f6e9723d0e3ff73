#include "faceocc/gen/piecewise_warp.hpp"

#include <cmath>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "faceocc/gen/least_squares.hpp"

namespace faceocc {

namespace {

double signed_area(cv::Point2f a, cv::Point2f b, cv::Point2f c) {
  return 0.5 * ((double(b.x) - a.x) * (double(c.y) - a.y) - (double(c.x) - a.x) * (double(b.y) - a.y));
}

int nearest(const std::vector<cv::Point2f>& pts, cv::Point2f p) {
  int best = -1;
  double d = 1e300;
  for (int i = 0; i < int(pts.size()); ++i) {
    const double e = cv::norm(pts[i] - p);
    if (e < d) d = e, best = i;
  }
  return d < 1e-3 ? best : -1;
}

// Affine map taking triangle (a,b,c) onto (A,B,C), as a 2x3 CV_64F matrix.
cv::Mat triangle_affine(const cv::Point2f* from, const cv::Point2f* to) {
  cv::Mat m = cv::getAffineTransform(from, to);
  return m;
}

}  // namespace

PiecewiseWarp::PiecewiseWarp(const std::vector<cv::Point2f>& src, const std::vector<cv::Point2f>& dst, cv::Size size)
    : size_(size) {
  if (src.size() != dst.size() || src.size() < 3) throw std::invalid_argument("piecewise warp: needs >= 3 point pairs");
  for (size_t i = 0; i < src.size(); ++i)
    if (!std::isfinite(src[i].x) || !std::isfinite(src[i].y) || !std::isfinite(dst[i].x) || !std::isfinite(dst[i].y))
      throw std::invalid_argument("piecewise warp: non-finite point");
  // Box around the asset and its anchors, a quarter bigger each side.
  cv::Rect2f box(0, 0, float(size.width), float(size.height));
  for (auto p : src) box |= cv::Rect2f(p.x, p.y, 0, 0);
  const float mx = 0.25f * box.width, my = 0.25f * box.height;
  box = cv::Rect2f(box.x - mx, box.y - my, box.width + 2 * mx, box.height + 2 * my);
  affine_ = cv::Matx23d(fit_affine(src, dst));
  const cv::Matx23d& A = affine_;
  src_ = src;
  dst_ = dst;
  const float xs[3] = {box.x, box.x + box.width / 2, box.x + box.width};
  const float ys[3] = {box.y, box.y + box.height / 2, box.y + box.height};
  for (int iy = 0; iy < 3; ++iy)
    for (int ix = 0; ix < 3; ++ix) {
      if (ix == 1 && iy == 1) continue;
      const cv::Point2f p(xs[ix], ys[iy]);
      if (nearest(src_, p) >= 0) continue;  // an anchor already sits there
      src_.push_back(p);
      dst_.push_back({float(A(0, 0) * p.x + A(0, 1) * p.y + A(0, 2)), float(A(1, 0) * p.x + A(1, 1) * p.y + A(1, 2))});
    }
  cv::Subdiv2D sub(cv::Rect(int(std::floor(box.x)) - 2, int(std::floor(box.y)) - 2, int(std::ceil(box.width)) + 5,
                            int(std::ceil(box.height)) + 5));
  for (auto p : src_) sub.insert(p);
  std::vector<cv::Vec6f> list;
  sub.getTriangleList(list);
  for (const auto& t : list) {
    const int a = nearest(src_, {t[0], t[1]}), b = nearest(src_, {t[2], t[3]}), c = nearest(src_, {t[4], t[5]});
    if (a < 0 || b < 0 || c < 0 || a == b || b == c || a == c) continue;  // Subdiv2D's outer virtual vertices
    if (std::abs(signed_area(src_[a], src_[b], src_[c])) < 1e-6) continue;
    tris_.push_back({a, b, c});
  }
  if (tris_.empty()) throw std::invalid_argument("piecewise warp: anchors are collinear");
}

cv::Point2f PiecewiseWarp::map(cv::Point2f p) const {
  for (int i = 0; i < int(src_.size()); ++i)  // vertices map exactly
    if (src_[i] == p) return dst_[i];
  for (const auto& t : tris_) {
    const cv::Point2f a = src_[t[0]], b = src_[t[1]], c = src_[t[2]];
    const double area = signed_area(a, b, c);
    const double l1 = signed_area(p, b, c) / area, l2 = signed_area(a, p, c) / area, l3 = 1 - l1 - l2;
    if (l1 >= -1e-6 && l2 >= -1e-6 && l3 >= -1e-6)
      return dst_[t[0]] * float(l1) + dst_[t[1]] * float(l2) + dst_[t[2]] * float(l3);
  }
  const cv::Matx23d& A = affine_;  // beyond the box
  return {float(A(0, 0) * p.x + A(0, 1) * p.y + A(0, 2)), float(A(1, 0) * p.x + A(1, 1) * p.y + A(1, 2))};
}

cv::Rect PiecewiseWarp::bounds() const {
  const float w = float(size_.width), h = float(size_.height);
  std::vector<cv::Point2f> edge;  // the asset's outline, sampled (the mesh bends it)
  for (int i = 0; i <= 16; ++i) {
    const float t = float(i) / 16;
    edge.push_back(map({t * w, 0}));
    edge.push_back(map({t * w, h}));
    edge.push_back(map({0, t * h}));
    edge.push_back(map({w, t * h}));
  }
  return cv::boundingRect(edge);
}

int PiecewiseWarp::folded_triangles() const {
  int n = 0;
  for (const auto& t : tris_)
    if ((signed_area(src_[t[0]], src_[t[1]], src_[t[2]]) > 0) != (signed_area(dst_[t[0]], dst_[t[1]], dst_[t[2]]) > 0))
      ++n;
  return n;
}

void PiecewiseWarp::render(const cv::Mat& asset, cv::Rect roi, cv::Mat& out) const {
  // Label each destination pixel with its triangle, then one bilinear remap
  // through that triangle's inverse affine: no seams between triangles.
  cv::Mat label(roi.size(), CV_32S, cv::Scalar(-1));
  std::vector<cv::Matx23d> inv;
  for (int k = 0; k < int(tris_.size()); ++k) {
    const auto& t = tris_[k];
    const cv::Point2f s[3] = {src_[t[0]], src_[t[1]], src_[t[2]]};
    const cv::Point2f d[3] = {dst_[t[0]] - cv::Point2f(roi.tl()), dst_[t[1]] - cv::Point2f(roi.tl()),
                              dst_[t[2]] - cv::Point2f(roi.tl())};
    if (std::abs(signed_area(d[0], d[1], d[2])) < 1e-6) {
      inv.emplace_back();
      continue;
    }
    inv.emplace_back(cv::Matx23d(triangle_affine(d, s)));
    const cv::Point poly[3] = {cv::Point(cvRound(d[0].x * 16), cvRound(d[0].y * 16)),
                               cv::Point(cvRound(d[1].x * 16), cvRound(d[1].y * 16)),
                               cv::Point(cvRound(d[2].x * 16), cvRound(d[2].y * 16))};
    cv::fillConvexPoly(label, poly, 3, cv::Scalar(k), cv::LINE_8, 4);
  }
  cv::Mat mapx(roi.size(), CV_32F, cv::Scalar(-1e4f)), mapy(roi.size(), CV_32F, cv::Scalar(-1e4f));
  for (int y = 0; y < roi.height; ++y) {
    const int* l = label.ptr<int>(y);
    float* mx = mapx.ptr<float>(y);
    float* my = mapy.ptr<float>(y);
    for (int x = 0; x < roi.width; ++x) {
      if (l[x] < 0) continue;
      const cv::Matx23d& m = inv[l[x]];
      mx[x] = float(m(0, 0) * x + m(0, 1) * y + m(0, 2));
      my[x] = float(m(1, 0) * x + m(1, 1) * y + m(1, 2));
    }
  }
  cv::remap(asset, out, mapx, mapy, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
}

}  // namespace faceocc
