#include "faceocc/gen/regions.hpp"

#include <opencv2/imgproc.hpp>

namespace faceocc {

std::vector<cv::Point> region_polygon(const Landmarks68& p, Region r) {
  std::vector<cv::Point2f> pts;
  auto add = [&](int a, int b) { for (int i = a; i <= b; ++i) pts.push_back(p[i]); };
  if (r == Region::Upper) { add(17, 26); add(36, 47); }
  else if (r == Region::Eyes) add(36, 47);
  else { add(48, 67); add(5, 11); }
  std::vector<cv::Point2f> hull;
  cv::convexHull(pts, hull);
  std::vector<cv::Point> out;
  for (auto q : hull) out.push_back(cv::Point(cvRound(q.x), cvRound(q.y)));
  return out;
}

static float covered_fraction(const cv::Mat& alpha, const std::vector<cv::Point>& poly) {
  const cv::Rect box = cv::boundingRect(poly) & cv::Rect(0, 0, alpha.cols, alpha.rows);
  if (box.area() == 0) return 0;
  cv::Mat region(box.size(), CV_8UC1, cv::Scalar(0));
  std::vector<cv::Point> local;
  for (auto q : poly) local.push_back(q - box.tl());
  cv::fillConvexPoly(region, local, cv::Scalar(255));
  const double n = cv::countNonZero(region);
  if (n == 0) return 0;
  return float(cv::mean(alpha(box), region)[0] / 255.0);
}

Coverage measure_coverage(const cv::Mat& alpha, const Landmarks68& p) {
  CV_Assert(alpha.type() == CV_8UC1);
  return {covered_fraction(alpha, region_polygon(p, Region::Upper)), covered_fraction(alpha, region_polygon(p, Region::Lower)),
          covered_fraction(alpha, region_polygon(p, Region::Eyes))};
}

std::optional<OccClass> label_from_coverage(const Coverage& c, const LabelRule& rule) {
  auto state = [&](float v) -> int { return v >= rule.covered ? 1 : v <= rule.visible ? 0 : -1; };
  const int u = state(rule.eyes_only ? c.eyes : c.upper), l = state(c.lower);
  if (u < 0 || l < 0) return std::nullopt;
  return OccClass(u + 2 * l);
}

}  // namespace faceocc
