// The closed-form fits that replaced cv::solve on occgen's worker threads: exact on
// noiseless points, least squares on noisy ones (against OpenCV's SVD solve), refusal
// of points on one line.
#include <random>

#include <gtest/gtest.h>

#include "faceocc/gen/least_squares.hpp"

namespace faceocc {
namespace {

TEST(LeastSquares, AffineFitMatchesExactTransformOnSeededPoints) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-100, 300);
  for (int t = 0; t < 50; ++t) {
    const cv::Matx23d A(u(rng) / 100, u(rng) / 100, u(rng), u(rng) / 100, u(rng) / 100, u(rng));
    std::vector<cv::Point2f> src, dst;
    for (int i = 0; i < 12; ++i) {
      const cv::Point2f p(u(rng), u(rng));
      src.push_back(p);
      dst.push_back(cv::Point2f(float(A(0, 0) * p.x + A(0, 1) * p.y + A(0, 2)), float(A(1, 0) * p.x + A(1, 1) * p.y + A(1, 2))));
    }
    const cv::Mat M = fit_affine(src, dst);
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(M.at<double>(r, c), A(r, c), 1e-3 * (1 + std::abs(A(r, c))));
  }
}

TEST(LeastSquares, AffineFitOfNoisyPointsIsOpenCvsLeastSquaresSolution) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0, 200), noise(-4, 4);
  for (int n : {3, 6, 28, 68}) {  // the anchor counts of the shipped assets, and the minimum
    std::vector<cv::Point2f> src, dst;
    cv::Mat A(n, 3, CV_64F), B(n, 2, CV_64F), X;
    for (int i = 0; i < n; ++i) {
      src.push_back({u(rng), u(rng)});
      dst.push_back({0.7f * src[i].x - 0.2f * src[i].y + 12 + noise(rng), 0.1f * src[i].x + 0.9f * src[i].y - 5 + noise(rng)});
      A.at<double>(i, 0) = src[i].x, A.at<double>(i, 1) = src[i].y, A.at<double>(i, 2) = 1;
      B.at<double>(i, 0) = dst[i].x, B.at<double>(i, 1) = dst[i].y;
    }
    cv::solve(A, B, X, cv::DECOMP_SVD);  // single-threaded here: the reference
    const cv::Mat M = fit_affine(src, dst), want = X.t();
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(M.at<double>(r, c), want.at<double>(r, c), 1e-9) << n << " points";
  }
}

TEST(LeastSquares, AffineFitRefusesPointsOnOneLine) {
  const std::vector<cv::Point2f> line{{0, 0}, {1, 1}, {2, 2}, {5, 5}}, any{{1, 0}, {2, 3}, {4, 1}, {0, 7}};
  EXPECT_THROW(fit_affine(line, any), std::invalid_argument);
  EXPECT_THROW(fit_affine({{0, 0}, {1, 1}}, {{0, 0}, {1, 1}}), std::invalid_argument);
}

TEST(LeastSquares, PlaneFitRecoversAPlaneAndMatchesQrOnNoisyPoints) {
  PlaneFit exact;
  for (int y = 0; y < 40; y += 3)
    for (int x = 0; x < 60; x += 5) exact.add(x, y, 100 + 0.5 * x - 0.25 * y);
  const auto p = exact.solve();
  ASSERT_TRUE(p);
  EXPECT_NEAR((*p)[0], 100, 1e-9);
  EXPECT_NEAR((*p)[1], 0.5, 1e-12);
  EXPECT_NEAR((*p)[2], -0.25, 1e-12);

  std::mt19937 rng(5);
  std::uniform_real_distribution<double> noise(-20, 20);
  PlaneFit fit;
  cv::Mat A(0, 3, CV_64F), b(0, 1, CV_64F), c;
  for (int y = 0; y < 160; y += 2)
    for (int x = 0; x < 160; x += 2) {
      const double z = 120 + 0.3 * x + 0.1 * y + noise(rng);
      fit.add(x, y, z);
      A.push_back(cv::Mat(cv::Matx13d(1, x, y)));
      b.push_back(z);
    }
  cv::solve(A, b, c, cv::DECOMP_QR);
  const auto q = fit.solve();
  ASSERT_TRUE(q);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR((*q)[k], c.at<double>(k), 1e-9);
}

TEST(LeastSquares, PlaneFitRefusesTooFewPointsOrALine) {
  PlaneFit two, line;
  two.add(0, 0, 1);
  two.add(1, 0, 2);
  EXPECT_FALSE(two.solve());
  for (int i = 0; i < 10; ++i) line.add(i, 2 * i, 5);
  EXPECT_FALSE(line.solve());
}

}  // namespace
}  // namespace faceocc
