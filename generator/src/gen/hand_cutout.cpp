#include "faceocc/gen/hand_cutout.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "faceocc/colour_lab.hpp"

namespace faceocc {

namespace {

// Pixels of the outermost `band` rows/columns of each side: 0 top, 1 right, 2 bottom, 3 left.
cv::Rect side_band(cv::Size s, int side, int band) {
  switch (side) {
    case 0: return {0, 0, s.width, band};
    case 1: return {s.width - band, 0, band, s.height};
    case 2: return {0, s.height - band, s.width, band};
    default: return {0, 0, band, s.height};
  }
}

// Median of a float image's values on the frame (all four sides, 3 px deep).
double frame_median(const cv::Mat& f32) {
  std::vector<float> v;
  for (int side = 0; side < 4; ++side) {
    const cv::Mat b = f32(side_band(f32.size(), side, 3));
    for (int y = 0; y < b.rows; ++y)
      for (int x = 0; x < b.cols; ++x) v.push_back(b.at<float>(y, x));
  }
  std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Green screen: green's lead over red and blue, relative to the backdrop's lead.
cv::Mat green_key(cv::Mat& bgr) {
  cv::Mat f;
  bgr.convertTo(f, CV_32FC3);
  std::vector<cv::Mat> c;
  cv::split(f, c);
  cv::Mat lead = c[1] - cv::max(c[0], c[2]);
  const double bg = std::max(20.0, frame_median(lead));
  // Lead at or above 0.6 of the backdrop's: backdrop; at or below 0.2 of it: hand; a ramp between.
  cv::Mat alpha = (0.6 * bg - lead) / (0.4 * bg);
  cv::min(cv::max(alpha, 0.0), 1.0, alpha);
  // Spill: green light bounced onto the skin's edges; no skin is greener than the mean of red and blue.
  c[1] = cv::min(c[1], (c[0] + c[2]) * 0.5);
  cv::merge(c, f);
  f.convertTo(bgr, CV_8UC3);
  return alpha;
}

// Plain wall: distance to the wall's colour seeds GrabCut.
cv::Mat wall_key(const cv::Mat& bgr, int iterations) {
  cv::Mat lab, f;
  bgr_to_lab(bgr, lab);
  lab.convertTo(f, CV_32FC3);
  std::vector<cv::Mat> c;
  cv::split(f, c);
  const double L = frame_median(c[0]), a = frame_median(c[1]), b = frame_median(c[2]);
  cv::Mat da = c[1] - a, db = c[2] - b, dl = cv::abs(c[0] - L), d;
  cv::sqrt(da.mul(da) + db.mul(db), d);
  d += 0.25 * dl;  // a wall shades (vignetting, the hand's shadow); skin differs in chroma
  cv::Mat mask(bgr.size(), CV_8UC1, cv::Scalar(cv::GC_PR_BGD));
  mask.setTo(cv::GC_PR_FGD, d > 18);
  mask.setTo(cv::GC_FGD, d > 32);
  mask.setTo(cv::GC_BGD, d < 6);
  if (cv::countNonZero(mask == cv::GC_FGD) < 20 || cv::countNonZero(mask == cv::GC_BGD) < 20)
    return cv::Mat::zeros(bgr.size(), CV_32F);
  cv::Mat bgd, fgd;
  // GrabCut seeds its colour models' k-means from OpenCV's thread-local RNG: fixed here (and given back)
  // so the same photo gives the same cut-out whatever was cut before it.
  const uint64_t saved = cv::theRNG().state;
  cv::theRNG().state = 0x9e3779b97f4a7c15ull;
  cv::grabCut(bgr, mask, cv::Rect(), bgd, fgd, iterations, cv::GC_INIT_WITH_MASK);
  cv::theRNG().state = saved;
  cv::Mat hard = (mask == cv::GC_FGD) | (mask == cv::GC_PR_FGD), alpha;
  cv::erode(hard, hard, cv::Mat());  // GrabCut's boundary takes in a pixel of wall
  hard.convertTo(alpha, CV_32F, 1.0 / 255.0);
  cv::GaussianBlur(alpha, alpha, cv::Size(0, 0), 0.7);  // GrabCut's edge is a hard one: soften it by a pixel
  return alpha;
}

// "what (value)": the kind of reason first, so reasons can be counted without their values.
std::string fmt(const char* what, double v) {
  std::ostringstream s;
  s.precision(3);
  s << what << " (" << v << ")";
  return s.str();
}

}  // namespace

HandCutout cut_out_hand(const cv::Mat& photo, HandBackdrop backdrop, const HandCutoutOptions& opt) {
  HandCutout h;
  CV_Assert(photo.type() == CV_8UC3 && photo.cols >= 32 && photo.rows >= 32);
  cv::Mat bgr = photo.clone();
  cv::Mat alpha = backdrop == HandBackdrop::GreenScreen ? green_key(bgr) : wall_key(bgr, opt.grabcut_iterations);

  // The largest piece: specks of keyed backdrop and a stray rig mark are not the hand.
  cv::Mat hard = alpha > 0.5f, labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(hard, labels, stats, centroids, 8);
  int best = 0;
  double total = 0;
  for (int k = 1; k < n; ++k) {
    total += stats.at<int>(k, cv::CC_STAT_AREA);
    if (best == 0 || stats.at<int>(k, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA)) best = k;
  }
  if (best == 0) { h.rejected = "no hand found"; return h; }
  h.main_piece = stats.at<int>(best, cv::CC_STAT_AREA) / total;
  hard = labels == best;
  // Small holes are keying specks on the skin; a large one (a finger ring, the "O" of a sign) is real.
  {
    cv::Mat outside = hard.clone();
    cv::copyMakeBorder(outside, outside, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
    cv::floodFill(outside, cv::Point(0, 0), 255);
    cv::Mat holes = outside(cv::Rect(1, 1, hard.cols, hard.rows)) == 0, hl, hs, hc;
    const int m = cv::connectedComponentsWithStats(holes, hl, hs, hc, 4);
    for (int k = 1; k < m; ++k)
      if (hs.at<int>(k, cv::CC_STAT_AREA) < 0.005 * stats.at<int>(best, cv::CC_STAT_AREA)) hard.setTo(255, hl == k);
  }
  cv::Mat near;  // the kept piece with its soft edge: alpha beyond a 2-px ring around it is dropped
  cv::dilate(hard, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  alpha.setTo(0, near == 0);
  alpha.setTo(1, hard & (alpha < 0.5f));  // filled holes

  const int area = cv::countNonZero(hard);
  h.area = double(area) / double(photo.total());
  // Where the arm leaves the photo: the side the hand touches most.
  double touch[4];
  for (int side = 0; side < 4; ++side) {
    const cv::Mat b = hard(side_band(hard.size(), side, 2));
    touch[side] = double(cv::countNonZero(b)) / double(b.total());
  }
  h.wrist_side = int(std::max_element(touch, touch + 4) - touch);
  for (int side = 0; side < 4; ++side)
    if (side != h.wrist_side) h.other_sides = std::max(h.other_sides, touch[side]);
  const cv::Moments wm = cv::moments(hard(side_band(hard.size(), h.wrist_side, 2)), true);
  const cv::Rect wb = side_band(hard.size(), h.wrist_side, 2);
  cv::Point2f wrist = wm.m00 > 0 ? cv::Point2f(float(wb.x + wm.m10 / wm.m00), float(wb.y + wm.m01 / wm.m00))
                                 : cv::Point2f(float(wb.x + wb.width / 2), float(wb.y + wb.height / 2));
  std::vector<cv::Point> px;
  cv::findNonZero(hard, px);
  cv::Point2f tip = wrist;
  double far = -1;
  for (const cv::Point& p : px)
    if (const double d = cv::norm(cv::Point2f(p) - wrist); d > far) { far = d; tip = cv::Point2f(p); }
  const float len = float(std::max(1.0, far));
  const cv::Point2f u = (tip - wrist) * (1.0f / len), v(-u.y, u.x);
  // Width profile across the axis, and the centroid of palm and fingers.
  std::vector<float> lo(10, 1e9f), hi(10, -1e9f);
  cv::Point2f centre(0, 0);
  int nc = 0;
  for (const cv::Point& p : px) {
    const cv::Point2f q = cv::Point2f(p) - wrist;
    const float t = q.dot(u) / len, s = q.dot(v);
    if (t > 0.35f) { centre += cv::Point2f(p); ++nc; }
    if (t >= 0.3f && t < 0.7f) {
      const int k = std::min(9, int((t - 0.3f) / 0.04f));
      lo[k] = std::min(lo[k], s);
      hi[k] = std::max(hi[k], s);
    }
  }
  std::vector<float> widths;
  for (int k = 0; k < 10; ++k)
    if (hi[k] >= lo[k]) widths.push_back(hi[k] - lo[k] + 1);
  std::sort(widths.begin(), widths.end());
  h.palm_width = widths.empty() ? 0 : widths[widths.size() / 2];
  centre = nc > 0 ? centre * (1.0f / float(nc)) : (wrist + tip) * 0.5f;

  // Skin chroma (YCrCb box of Chai and Ngan) and sharpness, away from the edge.
  cv::Mat core, ycc, grey, lap;
  cv::erode(hard, core, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
  if (cv::countNonZero(core) == 0) core = hard;
  cv::cvtColor(bgr, ycc, cv::COLOR_BGR2YCrCb);
  cv::Mat skin;
  cv::inRange(ycc, cv::Scalar(0, 133, 77), cv::Scalar(255, 180, 130), skin);
  h.skin = double(cv::countNonZero(skin & core)) / double(std::max(1, cv::countNonZero(core)));
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Laplacian(grey, lap, CV_32F);
  cv::Scalar mean, sd;
  cv::meanStdDev(lap, mean, sd, core);
  h.sharpness = sd[0];
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(hard.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (!contours.empty()) {
    const auto& c = *std::max_element(contours.begin(), contours.end(),
                                      [](const auto& a, const auto& b) { return cv::contourArea(a) < cv::contourArea(b); });
    std::vector<cv::Point> hull;
    cv::convexHull(c, hull);
    h.solidity = cv::contourArea(c) / std::max(1.0, cv::contourArea(hull));
  }

  // The edge's colours from the hand inside it: a half-transparent edge pixel is part backdrop
  // (grey wall, green), which would draw a halo on the face.
  {
    cv::Mat inner, w, colf, num, den, w3;
    cv::erode(hard, inner, cv::Mat());
    inner.convertTo(w, CV_32F, 1.0 / 255.0);
    bgr.convertTo(colf, CV_32FC3);
    cv::merge(std::vector<cv::Mat>{w, w, w}, w3);
    cv::GaussianBlur(colf.mul(w3), num, cv::Size(0, 0), 1.5);
    cv::GaussianBlur(w, den, cv::Size(0, 0), 1.5);
    const cv::Mat edge = (alpha > 0.0f) & (alpha < 0.95f) & (inner == 0) & (den > 0.02f);
    cv::Mat den3, fill;
    cv::merge(std::vector<cv::Mat>{den, den, den}, den3);
    cv::divide(num, cv::max(den3, 0.02), fill);
    fill.convertTo(fill, CV_8UC3);
    fill.copyTo(bgr, edge);
  }

  // Crop to the alpha, 2 px around it.
  const cv::Rect box = (cv::boundingRect(alpha > 0.02f) + cv::Size(4, 4) - cv::Point(2, 2)) & cv::Rect(0, 0, photo.cols, photo.rows);
  std::vector<cv::Mat> ch;
  cv::split(bgr(box), ch);
  cv::Mat a8;
  alpha(box).convertTo(a8, CV_8U, 255.0);
  ch.push_back(a8);
  cv::merge(ch, h.bgra);
  const cv::Point2f o(float(box.x), float(box.y));
  h.wrist = wrist - o;
  h.tip = tip - o;
  h.centre = centre - o;

  if (h.area < opt.min_area || h.area > opt.max_area)
    h.rejected = fmt("hand area outside the allowed share of the photo", h.area);
  else if (h.main_piece < opt.min_main_piece)
    h.rejected = fmt("the key left the hand in pieces: largest piece's share", h.main_piece);
  else if (h.other_sides > opt.max_other_sides)
    h.rejected = fmt("cut by a second side of the frame: share of that side touched", h.other_sides);
  else if (h.skin < opt.min_skin)
    h.rejected = fmt("too little skin chroma (a sleeve, an object, a failed key): share", h.skin);
  else if (h.sharpness < opt.min_sharpness)
    h.rejected = fmt("motion blur: Laplacian SD", h.sharpness);
  return h;
}

}  // namespace faceocc
