// Five-point alignment: the fast closed-form similarity fit against a plain
// least-squares reference on seeded random input, and on a real photo the
// whole chain (dlib detection + landmarks -> alignment -> MobileFaceNet)
// against the reference crop's embedding.
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/face/align.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;
using test::have;

// Reference: x' = a*x - b*y + tx, y' = b*x + a*y + ty solved as a linear
// least-squares system (SVD), no cleverness.
cv::Mat reference_similarity(const FivePoints& s, const FivePoints& d) {
  cv::Mat A(10, 4, CV_64F), B(10, 1, CV_64F);
  for (int i = 0; i < 5; ++i) {
    A.at<double>(2 * i, 0) = s[i].x; A.at<double>(2 * i, 1) = -s[i].y; A.at<double>(2 * i, 2) = 1; A.at<double>(2 * i, 3) = 0;
    A.at<double>(2 * i + 1, 0) = s[i].y; A.at<double>(2 * i + 1, 1) = s[i].x; A.at<double>(2 * i + 1, 2) = 0; A.at<double>(2 * i + 1, 3) = 1;
    B.at<double>(2 * i) = d[i].x;
    B.at<double>(2 * i + 1) = d[i].y;
  }
  cv::Mat p;
  cv::solve(A, B, p, cv::DECOMP_SVD);
  const double a = p.at<double>(0), b = p.at<double>(1);
  return (cv::Mat_<double>(2, 3) << a, -b, p.at<double>(2), b, a, p.at<double>(3));
}

TEST(Align, SimilarityFitMatchesLeastSquaresReference) {
  std::mt19937 rng(1234);
  std::uniform_real_distribution<float> pos(0, 400), noise(-3, 3);
  for (int trial = 0; trial < 200; ++trial) {
    FivePoints src;
    for (auto& p : src) p = {pos(rng), pos(rng)};
    FivePoints dst = insightface_template_112();
    for (auto& p : dst) p += cv::Point2f(noise(rng), noise(rng));
    const cv::Mat fast = similarity_transform(src, dst), ref = reference_similarity(src, dst);
    EXPECT_LE(cv::norm(fast, ref, cv::NORM_INF), 1e-6 * (1 + cv::norm(ref, cv::NORM_INF))) << "trial " << trial;
  }
}

TEST(Align, RecoversAnExactSimilarity) {
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> ang(-1.0, 1.0), sc(0.2, 3.0), tr(-50, 50);
  for (int trial = 0; trial < 50; ++trial) {
    const double t = ang(rng), s = sc(rng), tx = tr(rng), ty = tr(rng);
    const FivePoints& src = insightface_template_112();
    FivePoints dst;
    for (int i = 0; i < 5; ++i)
      dst[i] = cv::Point2f(float(s * (std::cos(t) * src[i].x - std::sin(t) * src[i].y) + tx),
                           float(s * (std::sin(t) * src[i].x + std::cos(t) * src[i].y) + ty));
    const cv::Mat m = similarity_transform(src, dst);
    EXPECT_NEAR(m.at<double>(0, 0), s * std::cos(t), 1e-4);
    EXPECT_NEAR(m.at<double>(1, 0), s * std::sin(t), 1e-4);
    EXPECT_NEAR(m.at<double>(0, 2), tx, 1e-3);
    EXPECT_NEAR(m.at<double>(1, 2), ty, 1e-3);
  }
}

TEST(Align, FivePointsFromDlib68) {
  Landmarks68 p{};
  for (int i = 0; i < 68; ++i) p[i] = cv::Point2f(float(i), float(2 * i));
  const FivePoints f = five_points(p);
  EXPECT_FLOAT_EQ(f[0].x, 38.5f);  // mean of 36..41
  EXPECT_FLOAT_EQ(f[1].x, 44.5f);  // mean of 42..47
  EXPECT_FLOAT_EQ(f[2].y, 60.0f);  // nose tip 30
  EXPECT_FLOAT_EQ(f[3].x, 48.0f);
  EXPECT_FLOAT_EQ(f[4].x, 54.0f);
}

TEST(FaceFinder, MissingModelIsNamed) {
  try {
    FaceFinder f("/nonexistent/model.dat");
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.dat"), std::string::npos) << e.what();
  }
}

class RealPhoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(have(default_shape_predictor(), "install libdlib-data (scripts/setup.sh)"));
    finder_ = new FaceFinder(default_shape_predictor());
  }
  static void TearDownTestSuite() { delete finder_; finder_ = nullptr; }
  static FaceFinder* finder_;
};
FaceFinder* RealPhoto::finder_ = nullptr;

TEST_F(RealPhoto, BlankImageHasNoFace) {
  EXPECT_TRUE(finder_->find(cv::Mat(240, 320, CV_8UC3, cv::Scalar(120, 120, 120))).empty());
}

TEST_F(RealPhoto, AlignedPhotoEmbedsLikeTheReferenceCrop) {
  const fs::path photo = test_photos_dir() / "franck_01829.jpg";
  ASSERT_TRUE(have(photo, test::kRunSetup));
  ASSERT_TRUE(have(default_weights_json(), test::kRunSetup));
  const cv::Mat img = cv::imread(photo.string(), cv::IMREAD_COLOR);
  ASSERT_FALSE(img.empty());
  const auto faces = finder_->find(img, 1);
  ASSERT_EQ(faces.size(), 1u);
  const FivePoints five = five_points(faces[0].points);
  const cv::Mat crop = align_face(img, five);
  ASSERT_EQ(crop.size(), cv::Size(112, 112));

  // The five points land on the template: a similarity cannot fit a real face
  // exactly (the nose moves with yaw), but a wrong transform direction or
  // point order misses by tens of pixels.
  const cv::Mat m = similarity_transform(five, insightface_template_112());
  double sq = 0;
  for (int i = 0; i < 5; ++i) {
    const cv::Point2d p(m.at<double>(0, 0) * five[i].x + m.at<double>(0, 1) * five[i].y + m.at<double>(0, 2),
                        m.at<double>(1, 0) * five[i].x + m.at<double>(1, 1) * five[i].y + m.at<double>(1, 2));
    const double d = cv::norm(p - cv::Point2d(insightface_template_112()[i]));
    sq += d * d;
    EXPECT_LT(d, 6.0) << "point " << i;
  }
  EXPECT_LT(std::sqrt(sq / 5), 4.0) << "RMS residual of the five points, px";

  // Reference embedding of the shipped crop made from the same photo.
  std::vector<float> ref = test::reference_embedding("franck_01829.png");
  ASSERT_EQ(ref.size(), 192u);

  MobileFaceNet net = import_tfjs(default_weights_json());
  torch::NoGradGuard g;
  const torch::Tensor e = net->forward(preprocess_rgb_u8(to_rgb_batch({crop})))[0];
  const double cos = torch::cosine_similarity(e, torch::from_blob(ref.data(), {192}), 0).item<double>();
  EXPECT_GT(cos, 0.9);
  RecordProperty("cosine_to_reference_crop", std::to_string(cos));
  std::printf("cosine(aligned photo, reference crop) = %.4f\n", cos);
}

}  // namespace
}  // namespace faceocc
