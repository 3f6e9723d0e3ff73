#include "faceocc/gen/harvest.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <opencv2/imgproc.hpp>

#include "faceocc/colour_lab.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/face/align.hpp"
#include "faceocc/gen/canonical_face.hpp"
#include "faceocc/gen/regions.hpp"

namespace faceocc {

namespace {

cv::Mat polygon_mask(cv::Size size, const std::vector<cv::Point>& poly) {
  cv::Mat m(size, CV_8UC1, cv::Scalar(0));
  cv::fillConvexPoly(m, poly, cv::Scalar(255));
  return m;
}

double share(const cv::Mat& fg, const cv::Mat& region) {
  const double n = cv::countNonZero(region);
  return n > 0 ? cv::countNonZero(fg & region) / n : 0.0;
}

}  // namespace

std::string harvest_id(bool upper, const std::string& key) { return std::string("harvest_") + (upper ? "upper_" : "lower_") + key; }

std::string harvest_source_key(const std::string& id) {
  for (const char* p : {"harvest_upper_", "harvest_lower_"})
    if (id.rfind(p, 0) == 0) return id.substr(std::string(p).size());
  return "";
}

HarvestResult harvest_occluder(const cv::Mat& photo, const FaceDetection& face, bool upper, const std::string& key,
                               const std::string& source_path, const std::string& licence, const HarvestOptions& opt) {
  CV_Assert(photo.type() == CV_8UC3);
  HarvestResult r;
  // The frame: the InsightFace template scaled so the face spans ~70 % of it.
  const float s = float(opt.frame) / 160.0f, off = (float(opt.frame) - 112.0f * s) / 2.0f;
  const FourPoints& t = insightface_template4_112();
  cv::Point2f dst[4], src[4] = {face.keypoints[kRightEye], face.keypoints[kLeftEye], face.keypoints[kNoseTip],
                                face.keypoints[kMouthCentre]};
  for (int i = 0; i < 4; ++i) dst[i] = t[i] * s + cv::Point2f(off, off);
  const cv::Mat M = similarity_transform(src, dst, 4);
  const cv::Size fs(opt.frame, opt.frame);
  cv::Mat frame, inside;
  cv::warpAffine(photo, frame, M, fs, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  cv::warpAffine(cv::Mat(photo.size(), CV_8UC1, cv::Scalar(255)), inside, M, fs, cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
  Landmarks68 L;
  for (int i = 0; i < 68; ++i) L[i] = canonical_face_68()[i] * s + cv::Point2f(off, off);

  const cv::Mat target = polygon_mask(fs, region_polygon(L, upper ? Region::Upper : Region::Lower));
  const cv::Mat other = polygon_mask(fs, region_polygon(L, upper ? Region::Lower : Region::Upper));
  const float w = L[16].x - L[0].x, h = L[8].y - L[27].y;
  const float x0 = L[0].x - 0.15f * w, x1 = L[16].x + 0.15f * w;
  const cv::Rect2f box = upper ? cv::Rect2f(x0, L[19].y - 0.45f * h, x1 - x0, L[30].y + 0.05f * h - (L[19].y - 0.45f * h))
                               : cv::Rect2f(x0, L[28].y, x1 - x0, L[8].y + 0.12f * h - L[28].y);  // eyes stay background
  const cv::Rect roi = cv::Rect(box) & cv::Rect(0, 0, opt.frame, opt.frame);

  // Seeds: outside the box, the other region and beyond the photo: background;
  // in the box: probably background; the target region (a little grown): probably foreground.
  cv::Mat gc(fs, CV_8UC1, cv::Scalar(cv::GC_BGD));
  gc(roi).setTo(cv::GC_PR_BGD);
  cv::Mat grown;
  cv::dilate(target, grown, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(int(0.08 * w) | 1, int(0.08 * w) | 1)));
  gc.setTo(cv::GC_PR_FGD, grown & (gc == cv::GC_PR_BGD));
  gc.setTo(cv::GC_BGD, other);
  gc.setTo(cv::GC_BGD, inside == 0);
  cv::Mat bgd, fgd;
  // GrabCut seeds its colour models with k-means on OpenCV's thread-local RNG: fix
  // it from the photo's key, so a cut-out never depends on the thread or on what
  // that thread did before (same input, same bytes).
  cv::theRNG() = cv::RNG(fnv1a(key.data(), key.size()) | 1);
  try {
    cv::grabCut(frame, gc, cv::Rect(), bgd, fgd, opt.iterations, cv::GC_INIT_WITH_MASK);
  } catch (const cv::Exception& e) {
    r.rejected = std::string("segmentation failed: ") + e.what();
    return r;
  }
  cv::Mat fg = (gc == cv::GC_FGD) | (gc == cv::GC_PR_FGD);
  const cv::Mat k3 = cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3});
  cv::morphologyEx(fg, fg, cv::MORPH_OPEN, k3);
  cv::morphologyEx(fg, fg, cv::MORPH_CLOSE, k3);
  // The largest piece is the occluder; solidity says how much else was cut.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(fg, labels, stats, centroids, 8);
  int best = 0, total = 0;
  for (int i = 1; i < n; ++i) {
    total += stats.at<int>(i, cv::CC_STAT_AREA);
    if (best == 0 || stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(best, cv::CC_STAT_AREA)) best = i;
  }
  if (best == 0) { r.rejected = "nothing told apart from the background"; return r; }
  // Upper: a pair of lenses often comes out as two pieces joined by a bridge too thin to
  // survive the opening: keep every piece at least a third the size of the largest.
  // Lower: the largest piece alone.
  const int keep_from = upper ? stats.at<int>(best, cv::CC_STAT_AREA) / 3 : std::numeric_limits<int>::max();
  cv::Mat kept(fg.size(), CV_8UC1, cv::Scalar(0));
  int kept_area = 0;
  for (int i = 1; i < n; ++i)
    if (i == best || stats.at<int>(i, cv::CC_STAT_AREA) >= keep_from) {
      kept |= labels == i;
      kept_area += stats.at<int>(i, cv::CC_STAT_AREA);
    }
  r.solidity = double(kept_area) / total;
  fg = kept;
  r.cover = share(fg, upper && opt.upper_eyes_only ? polygon_mask(fs, region_polygon(L, Region::Eyes)) : target);
  r.other = share(fg, other);
  // Contrast with the face's own visible skin: a cut-out that looks like skin is probably skin.
  cv::Mat skin = polygon_mask(fs, [&] {
    std::vector<cv::Point> p;
    for (int i = 0; i <= 16; ++i) p.push_back(L[i]);
    for (int i = 26; i >= 17; --i) p.push_back(L[i]);
    std::vector<cv::Point> hull;
    cv::convexHull(p, hull);
    return hull;
  }());
  skin &= ~fg & ~target & ~other & inside;
  cv::Mat lab;
  frame.convertTo(lab, CV_32FC3, 1.0 / 255.0);
  bgr_to_lab(lab, lab);
  if (cv::countNonZero(skin) < 100) {
    r.rejected = "too little visible skin to tell the occluder from";
    return r;
  }
  const cv::Scalar a = cv::mean(lab, fg & target), b = cv::mean(lab, skin);
  r.contrast = std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  char why[160] = "";
  // Reasons read the same whatever the numbers (occharvest counts them), numbers in brackets.
  if (r.cover < opt.min_cover) std::snprintf(why, sizeof why, "covers too little of the region (%.2f < %.2f)", r.cover, opt.min_cover);
  else if (r.other > opt.max_other) std::snprintf(why, sizeof why, "covers the other region (%.2f > %.2f)", r.other, opt.max_other);
  else if (r.contrast < opt.min_contrast) std::snprintf(why, sizeof why, "looks like the skin (contrast %.1f < %.1f)", r.contrast, opt.min_contrast);
  else if (r.solidity < opt.min_solidity) std::snprintf(why, sizeof why, "in pieces (solidity %.2f < %.2f)", r.solidity, opt.min_solidity);
  if (*why) { r.rejected = why; return r; }

  // The asset: the cut-out with a feathered edge, anchored to the canonical landmarks.
  const cv::Rect bb = (cv::boundingRect(fg) + cv::Point(-4, -4) + cv::Size(8, 8)) & cv::Rect(0, 0, opt.frame, opt.frame);
  cv::Mat alpha;
  fg(bb).convertTo(alpha, CV_32F, 1.0 / 255.0);
  cv::GaussianBlur(alpha, alpha, cv::Size(0, 0), 1.0);
  alpha.convertTo(alpha, CV_8U, 255.0);
  std::vector<cv::Mat> ch;
  cv::split(frame(bb), ch);
  ch.push_back(alpha);
  OccluderAsset as;
  cv::merge(ch, as.bgra);
  as.id = harvest_id(upper, key);
  as.category = "harvested";
  as.covers = upper ? "upper" : "lower";
  for (int i : upper ? upper_anchor_landmarks() : lower_anchor_landmarks()) as.anchors.push_back({i, L[i] - cv::Point2f(float(bb.x), float(bb.y))});
  as.scale_min = 0.95f;
  as.scale_max = 1.05f;
  as.rotation_deg = 4;
  as.shift = 0.03f;
  as.origin = "harvested by occharvest from " + source_path + " (content key " + key + ")";
  as.licence = licence;
  r.asset = std::move(as);
  return r;
}

}  // namespace faceocc
