// The triangle-mesh warp puts every anchor exactly on its landmark, both as a
// point map and in the rendered image, and stays affine where the anchors are
// affinely placed.
#include <random>

#include <gtest/gtest.h>

#include "faceocc/gen/piecewise_warp.hpp"

namespace faceocc {
namespace {

// Six mask-like anchors and a non-affine target (a jaw narrower than the cheeks).
const std::vector<cv::Point2f> kSrc{{21, 97}, {307, 22}, {600, 99}, {25, 322}, {295, 470}, {600, 323}};
const std::vector<cv::Point2f> kDst{{40, 110}, {128, 70}, {215, 112}, {70, 190}, {130, 240}, {190, 185}};

TEST(PiecewiseWarp, MapsEachAnchorExactlyOntoItsLandmark) {
  const PiecewiseWarp w(kSrc, kDst, {620, 480});
  for (size_t i = 0; i < kSrc.size(); ++i) {
    const cv::Point2f p = w.map(kSrc[i]);
    EXPECT_NEAR(p.x, kDst[i].x, 1e-3) << "anchor " << i;
    EXPECT_NEAR(p.y, kDst[i].y, 1e-3) << "anchor " << i;
  }
  EXPECT_EQ(w.folded_triangles(), 0);
}

TEST(PiecewiseWarp, RenderedAnchorPixelsLandOnTheirLandmarks) {
  // An asset whose every pixel encodes its own coordinates: after the warp,
  // the pixel at each landmark must read the anchor's coordinates.
  cv::Mat asset(480, 620, CV_32FC2);
  for (int y = 0; y < asset.rows; ++y)
    for (int x = 0; x < asset.cols; ++x) asset.at<cv::Vec2f>(y, x) = {float(x), float(y)};
  std::vector<cv::Point2f> dst;  // landmarks on integer pixels: no interpolation between pixels
  for (auto p : kDst) dst.push_back({std::round(p.x), std::round(p.y)});
  const PiecewiseWarp w(kSrc, dst, asset.size());
  const cv::Rect roi(0, 0, 256, 256);
  cv::Mat out;
  w.render(asset, roi, out);
  ASSERT_EQ(out.size(), roi.size());
  for (size_t i = 0; i < kSrc.size(); ++i) {
    const cv::Vec2f v = out.at<cv::Vec2f>(int(dst[i].y), int(dst[i].x));
    EXPECT_NEAR(v[0], kSrc[i].x, 0.05) << "anchor " << i;
    EXPECT_NEAR(v[1], kSrc[i].y, 0.05) << "anchor " << i;
  }
}

TEST(PiecewiseWarp, EqualsTheAffineMapWhenTheAnchorsAreAffinelyPlaced) {
  const cv::Matx23f A(0.3f, 0.05f, 20, -0.04f, 0.32f, 60);
  std::vector<cv::Point2f> dst;
  for (auto p : kSrc) dst.push_back({A(0, 0) * p.x + A(0, 1) * p.y + A(0, 2), A(1, 0) * p.x + A(1, 1) * p.y + A(1, 2)});
  const PiecewiseWarp w(kSrc, dst, {620, 480});
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> ux(0, 620), uy(0, 480);
  for (int i = 0; i < 200; ++i) {
    const cv::Point2f p(ux(rng), uy(rng)), q = w.map(p);
    EXPECT_NEAR(q.x, A(0, 0) * p.x + A(0, 1) * p.y + A(0, 2), 1e-2);
    EXPECT_NEAR(q.y, A(1, 0) * p.x + A(1, 1) * p.y + A(1, 2), 1e-2);
  }
  const cv::Rect b = w.bounds();  // the asset's corners, mapped
  EXPECT_NEAR(b.x, std::min(A(0, 2), A(0, 1) * 480 + A(0, 2)), 1.5);
  EXPECT_NEAR(b.y, std::min(A(1, 2), A(1, 0) * 620 + A(1, 2)), 1.5);
}

TEST(PiecewiseWarp, RejectsTooFewOrNonFinitePoints) {
  EXPECT_THROW(PiecewiseWarp({{0, 0}, {1, 1}}, {{0, 0}, {1, 1}}, {10, 10}), std::invalid_argument);
  EXPECT_THROW(PiecewiseWarp({{0, 0}, {5, 0}, {0, NAN}}, {{0, 0}, {5, 0}, {0, 5}}, {10, 10}), std::invalid_argument);
  EXPECT_THROW(PiecewiseWarp({{0, 0}, {5, 0}, {0, 5}}, {{0, 0}, {5, 0}}, {10, 10}), std::invalid_argument);
}

}  // namespace
}  // namespace faceocc
