// The Lab conversion every parallel caller uses (colour_lab.hpp): the process's first
// conversion made by several threads at the same moment gives each the serial result, and
// builds OpenCV's tables once. Without the guard, OpenCV builds them once per racing thread and
// leaks the losers' copies (4.7 MB each): scripts/sanitize.sh (LeakSanitizer) fails this test
// then, on every run. ctest runs each test in its own process, so this one is the first to
// convert.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/colour_lab.hpp"

namespace faceocc {
namespace {

// A colour gradient: every thread converts its own, different image.
cv::Mat gradient(int seed, int depth) {
  cv::Mat img(48, 64, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x)
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(4 * x + seed), uchar(5 * y + 3 * seed), uchar(x + y + 7 * seed));
  if (depth == CV_32F) img.convertTo(img, CV_32FC3, 1.0 / 255.0);
  return img;
}

TEST(ColourLab, FirstConversionOnManyThreadsAtOnceGivesTheSerialResult) {
  constexpr int kThreads = 6;  // half 8-bit, half float: both paths start at the same tables
  std::vector<cv::Mat> in, out(kThreads);
  for (int i = 0; i < kThreads; ++i) in.push_back(gradient(i, i % 2 ? CV_32F : CV_8U));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      ++ready;  // all at once (spinning, not sleeping): the race OpenCV's lazy tables lose
      while (ready.load() < kThreads) std::this_thread::yield();
      bgr_to_lab(in[size_t(i)], out[size_t(i)]);
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    cv::Mat serial;
    cv::cvtColor(in[size_t(i)], serial, cv::COLOR_BGR2Lab);
    ASSERT_EQ(out[size_t(i)].type(), serial.type()) << "thread " << i;
    EXPECT_EQ(cv::norm(out[size_t(i)], serial, cv::NORM_INF), 0.0) << "thread " << i;
  }
}

TEST(ColourLab, InPlaceAsOutOfPlace) {
  for (int depth : {CV_8U, CV_32F}) {
    cv::Mat a = gradient(3, depth), b;
    bgr_to_lab(a, b);
    bgr_to_lab(a, a);
    EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0) << (depth == CV_8U ? "8-bit" : "float");
  }
  // Known values: white is L = 100 (8-bit: 255), a = b = 0 (8-bit: 128).
  cv::Mat white(1, 1, CV_8UC3, cv::Scalar::all(255)), lab;
  bgr_to_lab(white, lab);
  EXPECT_EQ(lab.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 128, 128));
}

}  // namespace
}  // namespace faceocc
