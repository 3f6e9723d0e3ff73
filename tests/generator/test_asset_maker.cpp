// The drawn occluders look like the things they stand for in the ways the
// realism meter and the error galleries pointed at: sunglasses as large as real
// ones with shaded lenses, a hair fringe whose strands end in thin translucent
// tips. Measured on the assets themselves, in canonical-face units.
#include <algorithm>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/asset_maker.hpp"
#include "faceocc/gen/canonical_face.hpp"

namespace faceocc {
namespace {

std::vector<OccluderAsset> drawn(const std::string& prefix) {
  std::vector<OccluderAsset> out;
  for (auto& a : make_occluder_assets(1))
    if (a.id.rfind(prefix, 0) == 0) out.push_back(std::move(a));
  return out;
}

// Asset pixels per canonical unit, from the two outer eye-corner anchors' landmarks (36, 45).
double pixels_per_unit(const OccluderAsset& a) {
  cv::Point2f p36, p45;
  for (const Anchor& an : a.anchors) {
    if (an.landmark == 36) p36 = an.at;
    if (an.landmark == 45) p45 = an.at;
  }
  const auto& c = canonical_face_68();
  return cv::norm(p45 - p36) / cv::norm(c[45] - c[36]);
}

// Lens pixels: dark, never fully opaque (frames and temples are).
cv::Mat lens_pixels(const OccluderAsset& a) {
  cv::Mat alpha;
  cv::extractChannel(a.bgra, alpha, 3);
  return (alpha > 120) & (alpha < 255);
}

TEST(AssetMaker, SunglassesAreSizedLikeRealOnes) {
  const auto glasses = drawn("sunglasses");
  ASSERT_EQ(glasses.size(), 12u);
  const auto& c = canonical_face_68();
  const double eye_dist = (c[42].x + c[45].x) / 2 - (c[36].x + c[39].x) / 2;
  // A real lens is about 0.8 x the eye distance wide and 0.6 x tall: two lenses cover ~0.75 eye_dist^2.
  std::vector<double> area;
  for (const auto& a : glasses) {
    const double s = pixels_per_unit(a);
    ASSERT_GT(s, 0) << a.id;
    area.push_back(cv::countNonZero(lens_pixels(a)) / (s * s) / (eye_dist * eye_dist));
  }
  std::sort(area.begin(), area.end());
  EXPECT_GE(area[area.size() / 2], 0.75) << "median lens area / eye distance^2";
  EXPECT_GE(area.front(), 0.45) << "smallest lens area / eye distance^2";
}

TEST(AssetMaker, SunglassLensesAreShadedNotFlat) {
  // Gradient, mirror and reflection: the lens's brightness spans a range, not one tint.
  std::vector<int> spans;
  for (const auto& a : drawn("sunglasses")) {
    cv::Mat lens = lens_pixels(a), gray;
    cv::erode(lens, lens, cv::Mat(), {-1, -1}, 2);  // no anti-aliased edge
    cv::cvtColor(a.bgra, gray, cv::COLOR_BGRA2GRAY);
    std::vector<int> v;
    for (int y = 0; y < gray.rows; ++y)
      for (int x = 0; x < gray.cols; ++x)
        if (lens.at<uchar>(y, x)) v.push_back(gray.at<uchar>(y, x));
    ASSERT_GT(v.size(), 100u) << a.id;
    std::sort(v.begin(), v.end());
    spans.push_back(v[v.size() * 3 / 4] - v[v.size() / 4]);  // interquartile: a highlight stroke alone is not shading
    EXPECT_GE(spans.back(), 4) << a.id << ": a lens in one flat tint";
  }
}

TEST(AssetMaker, HairEndsInThinTranslucentTips) {
  const auto fringes = drawn("hair_fringe");
  ASSERT_EQ(fringes.size(), 24u);
  for (const auto& a : fringes) {
    std::vector<cv::Mat> ch;
    cv::split(a.bgra, ch);
    const cv::Mat& alpha = ch[3];
    // The lowest opaque pixel of each column.
    std::vector<int> ends;
    for (int x = 0; x < alpha.cols; ++x) {
      int end = -1;
      for (int y = alpha.rows - 1; y >= 0 && end < 0; --y)
        if (alpha.at<uchar>(y, x) > 200) end = y;
      if (end >= 0) ends.push_back(end);
    }
    ASSERT_GT(ends.size(), 20u) << a.id;
    std::sort(ends.begin(), ends.end());
    // Thin tips: translucent hair away from any opaque strand (an anti-aliased edge lies next to one).
    cv::Mat near_opaque;
    cv::dilate(alpha > 200, near_opaque, cv::Mat(), {-1, -1}, 2);
    // Counted below the highest tenth of the strands' ends: the roots fade out near the crown.
    const cv::Rect tips(0, ends[ends.size() / 10], alpha.cols, alpha.rows - ends[ends.size() / 10]);
    const int translucent = cv::countNonZero((alpha(tips) > 0) & (alpha(tips) < 200) & (near_opaque(tips) == 0));
    EXPECT_GT(translucent, 200) << a.id << ": no thin, translucent tips";
  }
}

// Objects kept for one region are the very objects "any" draws (same ids, same pixels), and the two regions
// together are all of them: choosing a region skips draws, it changes none.
TEST(AssetMaker, ObjectsOverOneRegionAreTheSameDrawsAsAll) {
  AssetCounts n;
  n.hair = n.glasses = n.chin = n.eyeglasses = 0;
  n.objects = 12;  // two of each kind: one phone and one sheet of paper over the eyes, the other ten over the mouth
  const auto all = make_occluder_assets(3, n);
  ASSERT_EQ(all.size(), 12u);
  size_t kept = 0;
  for (const char* region : {"upper", "lower"}) {
    n.objects_over = region;
    const auto some = make_occluder_assets(3, n);
    EXPECT_EQ(some.size(), std::string(region) == "upper" ? 2u : 10u) << region;
    for (const auto& a : some) {
      EXPECT_EQ(a.covers, region) << a.id;
      const auto same = std::find_if(all.begin(), all.end(), [&](const OccluderAsset& b) { return b.id == a.id; });
      ASSERT_NE(same, all.end()) << a.id;
      ASSERT_EQ(a.bgra.size(), same->bgra.size()) << a.id;
      EXPECT_EQ(cv::norm(a.bgra, same->bgra, cv::NORM_INF), 0.0) << a.id;
    }
    kept += some.size();
  }
  EXPECT_EQ(kept, all.size());
  n.objects_over = "mouth";
  EXPECT_THROW(make_occluder_assets(3, n), std::invalid_argument);
}

}  // namespace
}  // namespace faceocc
