#include "faceocc/gen/finger_spread.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace faceocc {

namespace {

// 8-bit BGRA <-> float premultiplied BGRA: warping and layering premultiplied colours leaves no
// dark fringe where a finger's soft edge meets the transparent gap beside it.
cv::Mat premultiplied(const cv::Mat& bgra) {
  cv::Mat f;
  bgra.convertTo(f, CV_32FC4, 1.0 / 255.0);
  std::vector<cv::Mat> ch;
  cv::split(f, ch);
  for (int i = 0; i < 3; ++i) ch[i] = ch[i].mul(ch[3]);
  cv::merge(ch, f);
  return f;
}

cv::Mat straight_8bit(const cv::Mat& pm) {
  std::vector<cv::Mat> ch;
  cv::split(pm, ch);
  const cv::Mat a = cv::max(ch[3], 1e-6f);
  for (int i = 0; i < 3; ++i) cv::divide(ch[i], a, ch[i]);
  cv::Mat f, out;
  cv::merge(ch, f);
  f.convertTo(out, CV_8UC4, 255.0);
  return out;
}

}  // namespace

HandCutout spread_fingers(const HandCutout& hand, double spread_deg) {
  if (spread_deg == 0.0 || hand.palm_width <= 0) return hand;
  HandCutout out = hand;
  // The fingers are about as long as the palm is wide; turned by up to 30 degrees their tips move
  // at most half of that sideways, so this much padding keeps them in the picture.
  const int pad = int(std::ceil(0.6 * hand.palm_width)) + 2;
  cv::copyMakeBorder(hand.bgra, out.bgra, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  const cv::Point2f o{float(pad), float(pad)};
  out.wrist = hand.wrist + o;
  out.tip = hand.tip + o;
  out.centre = hand.centre + o;

  const float len = float(cv::norm(out.tip - out.wrist));
  const cv::Point2f u = (out.tip - out.wrist) * (1.0f / std::max(1.0f, len)), v(-u.y, u.x);
  const float knuckles = len - hand.palm_width;  // distance from the wrist point
  const float overlap = 0.15f * hand.palm_width;  // a strip reaches this far into the palm: no seam when it turns
  const cv::Mat pm = premultiplied(out.bgra);

  // Each pixel's place along (t) and across (s) the hand's axis; the fingers' extent across it.
  cv::Mat t(pm.size(), CV_32F), s(pm.size(), CV_32F);
  float smin = std::numeric_limits<float>::max(), smax = std::numeric_limits<float>::lowest();
  for (int y = 0; y < pm.rows; ++y)
    for (int x = 0; x < pm.cols; ++x) {
      const cv::Point2f q = cv::Point2f(float(x), float(y)) - out.wrist;
      const float ty = q.dot(u), sy = q.dot(v);
      t.at<float>(y, x) = ty;
      s.at<float>(y, x) = sy;
      if (ty > knuckles && out.bgra.at<cv::Vec4b>(y, x)[3] > 127) smin = std::min(smin, sy), smax = std::max(smax, sy);
    }
  if (!(smax > smin)) return hand;  // nothing beyond the knuckles: no fingers to spread

  cv::Mat palm_mask, layered;
  cv::Mat(t <= knuckles).convertTo(palm_mask, CV_32F, 1.0 / 255.0);
  cv::Mat palm4;
  cv::merge(std::vector<cv::Mat>(4, palm_mask), palm4);
  layered = pm.mul(palm4);
  const float w = (smax - smin) / 4.0f;
  const double turn[4] = {-1.0, -1.0 / 3.0, 1.0 / 3.0, 1.0};  // outer strips most, as a spread hand's fingers
  for (int j = 0; j < 4; ++j) {
    const float lo = smin + j * w, hi = lo + w;
    cv::Mat in = t > knuckles - overlap;
    if (j > 0) in &= s >= lo;  // the outermost strips also take the soft edge beyond the extent
    if (j < 3) in &= s < hi;
    cv::Mat m, m4, strip, turned;
    in.convertTo(m, CV_32F, 1.0 / 255.0);
    cv::merge(std::vector<cv::Mat>(4, m), m4);
    strip = pm.mul(m4);
    // Turn u towards v by the angle, about the strip's base on the knuckle line.
    const double a = turn[j] * spread_deg * CV_PI / 180.0, c = std::cos(a), sn = std::sin(a);
    const cv::Point2f b = out.wrist + u * knuckles + v * ((lo + hi) * 0.5f);
    const cv::Matx23d M(c, -sn, b.x - (c * b.x - sn * b.y), sn, c, b.y - (sn * b.x + c * b.y));
    cv::warpAffine(strip, turned, cv::Mat(M), pm.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    // "Over": the turned finger in front of what is there.
    std::vector<cv::Mat> tc;
    cv::split(turned, tc);
    cv::Mat keep = 1.0f - tc[3], keep4;
    cv::merge(std::vector<cv::Mat>(4, keep), keep4);
    layered = turned + layered.mul(keep4);
  }
  // Cropped to the alpha, 2 px around it, as cut_out_hand crops.
  std::vector<cv::Mat> lc;
  cv::split(layered, lc);
  const cv::Rect box = (cv::boundingRect(lc[3] > 0.008f) + cv::Size(4, 4) - cv::Point(2, 2)) & cv::Rect(0, 0, pm.cols, pm.rows);
  out.bgra = straight_8bit(layered(box)).clone();
  const cv::Point2f shift(float(box.x), float(box.y));
  out.wrist -= shift;
  out.tip -= shift;
  out.centre -= shift;
  return out;
}

}  // namespace faceocc
