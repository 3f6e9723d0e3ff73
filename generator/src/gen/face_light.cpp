#include "faceocc/gen/face_light.hpp"

#include <algorithm>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "faceocc/gen/least_squares.hpp"

namespace faceocc {

namespace {

std::vector<cv::Point> poly(const Landmarks68& pts, std::initializer_list<std::pair<int, int>> ranges) {
  std::vector<cv::Point> p;
  for (auto [a, b] : ranges)
    for (int i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) p.push_back(cv::Point(cvRound(pts[i].x), cvRound(pts[i].y)));
  return p;
}

}  // namespace

cv::Mat relative_light(const cv::Mat& bgr, const cv::Mat& occluded, const Landmarks68& pts, cv::Rect roi,
                       double strength) {
  CV_Assert(bgr.type() == CV_8UC3 && (occluded.empty() || occluded.size() == bgr.size()));
  CV_Assert((roi & cv::Rect(0, 0, bgr.cols, bgr.rows)) == roi);
  cv::Mat ones(roi.size(), CV_32F, cv::Scalar(1.0f));
  // Skin: the face outline (jaw, then brows back) minus its features.
  cv::Mat skin(bgr.size(), CV_8UC1, cv::Scalar(0));
  cv::fillPoly(skin, std::vector<std::vector<cv::Point>>{poly(pts, {{0, 16}, {26, 17}})}, cv::Scalar(255));
  const int pad = std::max(1, cvRound(0.04 * cv::norm(pts[16] - pts[0])));
  for (const auto& f : {poly(pts, {{17, 21}}), poly(pts, {{22, 26}}), poly(pts, {{36, 41}}), poly(pts, {{42, 47}}),
                        poly(pts, {{31, 35}}), poly(pts, {{48, 59}})}) {
    std::vector<cv::Point> hull;
    cv::convexHull(f, hull);
    cv::fillConvexPoly(skin, hull, cv::Scalar(0));
    cv::polylines(skin, hull, true, cv::Scalar(0), 2 * pad);
  }
  if (!occluded.empty()) skin.setTo(0, occluded > 25);
  // Least-squares plane through the skin's luminance (every other pixel).
  PlaneFit fit;
  for (int y = 0; y < bgr.rows; y += 2) {
    const uchar* s = skin.ptr<uchar>(y);
    const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; x += 2)
      if (s[x]) fit.add(x, y, 0.114 * p[x][0] + 0.587 * p[x][1] + 0.299 * p[x][2]);
  }
  const auto c = fit.count() >= 50 ? fit.solve() : std::nullopt;
  if (!c) return ones;
  const double mean = std::max(4.0, fit.mean_z());
  const double c0 = (*c)[0] / mean, cx = (*c)[1] / mean, cy = (*c)[2] / mean;
  cv::Mat out(roi.size(), CV_32F);
  for (int y = 0; y < roi.height; ++y) {
    float* o = out.ptr<float>(y);
    for (int x = 0; x < roi.width; ++x) {
      const double l = c0 + cx * (x + roi.x) + cy * (y + roi.y);
      o[x] = float(std::clamp(1.0 + strength * (l - 1.0), 0.4, 1.6));
    }
  }
  return out;
}

}  // namespace faceocc
