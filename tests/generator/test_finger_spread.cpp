// Fingers fanned apart on a real photographed flat hand: gaps open between
// the fingers (what is behind shows through), the palm keeps its pixels, no
// hand is lost, and the hand's axis is where it was (poses place it as before).
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/finger_spread.hpp"
#include "faceocc/image_read.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_THREAD__)
const bool kOpenCvInCallingThread = (cv::setNumThreads(0), true);  // as test_hand_photos.cpp: OpenCV's pool is not instrumented
#endif

const fs::path kPaper = fs::path("rock_paper_scissors") / "paper" / "04l5I8TqdzF9WDMJ.jpg";  // fingers together, to the left

HandCutout paper_hand() {
  const ImageRead r = read_image(test::shared_dir() / "third_party" / "hands" / kPaper);
  EXPECT_TRUE(r.problem.empty()) << r.problem;
  return cut_out_hand(r.image, HandBackdrop::GreenScreen);
}

// Opaque runs along the line across the hand's axis at distance t from the wrist point: one for a
// closed hand, one per finger for a spread one.
int opaque_runs(const HandCutout& h, float t) {
  const cv::Point2f u = (h.tip - h.wrist) * (1.0f / float(cv::norm(h.tip - h.wrist))), v(-u.y, u.x);
  int runs = 0;
  bool in = false;
  for (float s = -2.0f * h.palm_width; s <= 2.0f * h.palm_width; s += 0.5f) {
    const cv::Point2f p = h.wrist + u * t + v * s;
    const int x = int(std::lround(p.x)), y = int(std::lround(p.y));
    const bool opaque = x >= 0 && y >= 0 && x < h.bgra.cols && y < h.bgra.rows && h.bgra.at<cv::Vec4b>(y, x)[3] > 127;
    runs += opaque && !in;
    in = opaque;
  }
  return runs;
}

TEST(FingerSpread, GapsOpenBetweenTheFingersOfARealFlatHand) {
  ASSERT_TRUE(test::have(test::shared_dir() / "third_party" / "hands" / kPaper, "../shared/third_party/hands is part of the shared data"));
  const HandCutout h = paper_hand();
  ASSERT_EQ(h.rejected, "");
  const HandCutout s = spread_fingers(h, 15.0);
  const float len = float(cv::norm(h.tip - h.wrist));
  // Near the fingertips: the closed hand is one piece across, the spread one has a run per finger
  // (the outermost strip may hold the thumb's tip or be cut short, so three or four).
  const float near_tips = len - 0.3f * h.palm_width;
  EXPECT_EQ(opaque_runs(h, near_tips), 1);
  EXPECT_GE(opaque_runs(s, near_tips), 3);
  EXPECT_LE(opaque_runs(s, near_tips), 4);
  // The fingers move, nothing is lost: the opaque area within a few per cent of the closed hand's.
  auto area = [](const HandCutout& c) {
    std::vector<cv::Mat> ch;
    cv::split(c.bgra, ch);
    return double(cv::countNonZero(ch[3] > 127));
  };
  EXPECT_NEAR(area(s) / area(h), 1.0, 0.06);
  // The axis and the palm's width unchanged (only moved with the crop): a pose places it as the closed hand.
  EXPECT_NEAR(cv::norm(s.tip - s.wrist), len, 0.01);
  EXPECT_NEAR(cv::norm((s.centre - s.wrist) - (h.centre - h.wrist)), 0.0, 0.01);
  EXPECT_EQ(s.palm_width, h.palm_width);
  // The palm's pixels are the photo's: a patch between the wrist point and the knuckles, well inside.
  const cv::Point2f mid = h.wrist + (h.tip - h.wrist) * 0.5f * ((len - 1.3f * h.palm_width) / len);
  const cv::Point2f off = s.wrist - h.wrist;
  const cv::Rect a(int(mid.x) - 4, int(mid.y) - 4, 8, 8), b = a + cv::Point(int(std::lround(off.x)), int(std::lround(off.y)));
  ASSERT_EQ(off.x, std::round(off.x));
  ASSERT_EQ(off.y, std::round(off.y));
  EXPECT_EQ(cv::norm(h.bgra(a), s.bgra(b), cv::NORM_INF), 0.0);
}

TEST(FingerSpread, NoSpreadIsTheHandItself) {
  ASSERT_TRUE(test::have(test::shared_dir() / "third_party" / "hands" / kPaper, "../shared/third_party/hands is part of the shared data"));
  const HandCutout h = paper_hand();
  const HandCutout s = spread_fingers(h, 0.0);
  ASSERT_EQ(s.bgra.size(), h.bgra.size());
  EXPECT_EQ(cv::norm(s.bgra, h.bgra, cv::NORM_INF), 0.0);
  EXPECT_EQ(s.tip, h.tip);
}

}  // namespace
}  // namespace faceocc
