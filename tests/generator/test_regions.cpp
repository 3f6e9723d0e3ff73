// Coverage -> label on hand-built masks, and the region polygons themselves.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/canonical_face.hpp"
#include "faceocc/gen/regions.hpp"

namespace faceocc {
namespace {

// The canonical face scaled x2 so regions are a few hundred pixels.
Landmarks68 face() {
  Landmarks68 p = canonical_face_68();
  for (auto& q : p) q *= 2.0f;
  return p;
}

cv::Mat fill_region(Region r, double fraction_of_rows = 1.0) {
  const Landmarks68 p = face();
  cv::Mat m(260, 260, CV_8UC1, cv::Scalar(0));
  cv::fillConvexPoly(m, region_polygon(p, r), cv::Scalar(255));
  if (fraction_of_rows < 1.0) {  // keep only the top part of the region
    const cv::Rect b = cv::boundingRect(region_polygon(p, r));
    const int keep = int(b.height * fraction_of_rows);
    m(cv::Rect(0, b.y + keep, m.cols, m.rows - b.y - keep)).setTo(0);
  }
  return m;
}

TEST(Regions, EmptyMaskIsNone) {
  const Coverage c = measure_coverage(cv::Mat(260, 260, CV_8UC1, cv::Scalar(0)), face());
  EXPECT_EQ(c.upper, 0);
  EXPECT_EQ(c.lower, 0);
  EXPECT_EQ(label_from_coverage(c, {}), OccClass::None);
}

TEST(Regions, FullRegionsGiveTheirClasses) {
  const Landmarks68 p = face();
  const cv::Mat up = fill_region(Region::Upper), low = fill_region(Region::Lower);
  Coverage c = measure_coverage(up, p);
  EXPECT_NEAR(c.upper, 1.0, 1e-6);
  EXPECT_EQ(c.lower, 0);
  EXPECT_EQ(label_from_coverage(c, {}), OccClass::Upper);
  c = measure_coverage(low, p);
  EXPECT_NEAR(c.lower, 1.0, 1e-6);
  EXPECT_EQ(label_from_coverage(c, {}), OccClass::Lower);
  cv::Mat both;
  cv::max(up, low, both);
  EXPECT_EQ(label_from_coverage(measure_coverage(both, p), {}), OccClass::Both);
}

TEST(Regions, AlphaIsWeighted) {
  cv::Mat half = fill_region(Region::Upper) / 2;  // alpha 128 (255/2 rounded) everywhere in the region
  const Coverage c = measure_coverage(half, face());
  EXPECT_NEAR(c.upper, 128.0 / 255.0, 1e-3);
}

TEST(Regions, AmbiguousBandIsRejected) {
  const Landmarks68 p = face();
  const Coverage c = measure_coverage(fill_region(Region::Upper, 0.25), p);
  EXPECT_GT(c.upper, 0.10);
  EXPECT_LT(c.upper, 0.40);
  EXPECT_FALSE(label_from_coverage(c, {}).has_value());
  // With a lower "covered" threshold the same mask is upper.
  EXPECT_EQ(label_from_coverage(c, {c.upper - 0.01f, 0.05f}), OccClass::Upper);
}

TEST(Regions, ThresholdEdges) {
  const LabelRule r{0.4f, 0.1f};
  EXPECT_EQ(label_from_coverage({0.40f, 0.10f}, r), OccClass::Upper);
  EXPECT_EQ(label_from_coverage({0.10f, 0.40f}, r), OccClass::Lower);
  EXPECT_EQ(label_from_coverage({0.99f, 0.41f}, r), OccClass::Both);
  EXPECT_FALSE(label_from_coverage({0.39f, 0.0f}, r).has_value());
  EXPECT_FALSE(label_from_coverage({0.0f, 0.11f}, r).has_value());
}

TEST(Regions, ClassNames) {
  EXPECT_STREQ(class_folder(OccClass::Upper), "1_1_0");
  EXPECT_STREQ(class_folder(OccClass::Lower), "1_0_1");
  EXPECT_EQ(class_from_string("both"), OccClass::Both);
  EXPECT_EQ(class_from_string("0_0_0"), OccClass::None);
  EXPECT_FALSE(class_from_string("1_0_0").has_value());
}

}  // namespace
}  // namespace faceocc
