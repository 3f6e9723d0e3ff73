// The report's line chart: a missing metric (NaN) breaks the line instead of
// being drawn at an undefined position (int(NaN); UBSan found it in occreport).
#include <cmath>
#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/train/eval/line_plot.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

// Colour at the middle of the segment between the first two points (x = 0 and 1 at y = 0.5).
cv::Vec3b between_first_two(const std::vector<double>& y, const fs::path& png) {
  PlotOptions o;
  o.title = "test";
  EXPECT_TRUE(write_line_plot({{"s", {0, 1, 2}, y, {}}}, o, png));
  const cv::Mat img = cv::imread(png.string());
  EXPECT_EQ(img.size(), cv::Size(760, 440));
  // Plot frame: left 70, width 500, x range [0, 2] padded by 4 % each side; top 40, height 340, y in [0, 1].
  const auto px = [](double x) { return 70 + int((x + 0.08) / 2.16 * 500); };
  return img.at<cv::Vec3b>(40 + 340 - 170, (px(0) + px(1)) / 2);
}

TEST(LinePlot, AMissingValueBreaksTheLine) {
  const fs::path png = fs::temp_directory_path() / ("faceocc_line_plot_" + std::to_string(::getpid()) + ".png");
  const cv::Vec3b series_colour(180, 119, 31);
  EXPECT_EQ(between_first_two({0.5, 0.5, 0.5}, png), series_colour);
  EXPECT_NE(between_first_two({0.5, NAN, 0.5}, png), series_colour);
  // Every point missing, and a missing x: still a chart, no undefined arithmetic.
  PlotOptions o;
  o.y_min = NAN;
  EXPECT_TRUE(write_line_plot({{"s", {NAN, 1}, {NAN, INFINITY}, {NAN, NAN}}}, o, png));
  EXPECT_FALSE(cv::imread(png.string()).empty());
  fs::remove(png);
}

}  // namespace
}  // namespace faceocc
