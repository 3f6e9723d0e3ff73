// The occlusion-robust face finder: anchor decoding by hand, weighted NMS, and
// on real photos: covered faces found, keypoints where dlib puts them on clean
// faces, nothing found where there is no face, the same answer at any thread
// count, and the crop find_and_align makes embeds like the reference crop.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "faceocc/face/find_and_align.hpp"
#include "faceocc/face/landmarks.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(Anchors, MediaPipeLayout) {
  for (auto [n, strides] : {std::pair{128, std::vector<int>{8, 16, 16, 16}}, std::pair{256, std::vector<int>{16, 32, 32, 32}}}) {
    const auto a = ssd_anchors(n, strides);
    ASSERT_EQ(a.size(), 896u);
    // Fine grid: 16x16 cells, 2 anchors each; coarse: 8x8 cells, 6 anchors each.
    EXPECT_FLOAT_EQ(a[0].x, 0.5f / 16);
    EXPECT_FLOAT_EQ(a[1].x, 0.5f / 16);  // the second anchor of cell (0, 0)
    EXPECT_FLOAT_EQ(a[2].x, 1.5f / 16);
    EXPECT_FLOAT_EQ(a[2 * 16].y, 1.5f / 16);  // first anchor of row 1
    EXPECT_FLOAT_EQ(a[512].x, 0.5f / 8);
    EXPECT_FLOAT_EQ(a[512 + 6 * 9].x, 1.5f / 8);  // cell (1, 1) of the coarse grid
    EXPECT_FLOAT_EQ(a[512 + 6 * 9].y, 1.5f / 8);
    EXPECT_FLOAT_EQ(a[895].x, 7.5f / 8);
  }
}

TEST(Anchors, DecodeByHand) {
  const auto anchors = ssd_anchors(128, {8, 16, 16, 16});
  std::vector<float> scores(896, -10.0f), boxes(896 * 16, 0.0f);
  const size_t i = 512 + 6 * 9 + 3;  // coarse cell (1, 1): anchor centre (0.1875, 0.1875)
  scores[i] = 2.0f;
  const float raw[16] = {12.8f, -6.4f, 32, 64, -8, -4, 8, -4, 0, 4, 0, 12, -16, 0, 16, 0};
  std::copy(raw, raw + 16, boxes.begin() + long(16 * i));
  const auto d = decode_blazeface(scores.data(), boxes.data(), anchors, 128, 0.5f);
  ASSERT_EQ(d.size(), 1u);
  // centre = anchor + raw / 128, size = raw / 128, keypoints = anchor + raw / 128.
  EXPECT_NEAR(d[0].box.x + d[0].box.width / 2, 0.1875 + 0.1, 1e-6);
  EXPECT_NEAR(d[0].box.y + d[0].box.height / 2, 0.1875 - 0.05, 1e-6);
  EXPECT_NEAR(d[0].box.width, 0.25, 1e-6);
  EXPECT_NEAR(d[0].box.height, 0.5, 1e-6);
  EXPECT_NEAR(d[0].keypoints[kRightEye].x, 0.1875 - 0.0625, 1e-6);
  EXPECT_NEAR(d[0].keypoints[kMouthCentre].y, 0.1875 + 0.09375, 1e-6);
  EXPECT_NEAR(d[0].keypoints[kLeftEar].x, 0.1875 + 0.125, 1e-6);
  EXPECT_NEAR(d[0].score, 1 / (1 + std::exp(-2.0)), 1e-6);
  scores[i] = -0.1f;  // below 0.5 after the sigmoid
  EXPECT_TRUE(decode_blazeface(scores.data(), boxes.data(), anchors, 128, 0.5f).empty());
}

TEST(Nms, MergesOverlapsByScoreKeepsTheRest) {
  FaceDetection a, b, c;
  a.box = {0, 0, 10, 10}, a.score = 0.9f;
  b.box = {1, 0, 10, 10}, b.score = 0.6f;  // IoU 0.82 with a
  c.box = {50, 50, 10, 10}, c.score = 0.7f;
  for (size_t k = 0; k < 6; ++k) a.keypoints[k] = {0, 0}, b.keypoints[k] = {10, 10};
  const auto out = weighted_nms({b, c, a}, 0.3f);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0].score, 0.9f);
  EXPECT_NEAR(out[0].box.x, 0.6 / 1.5, 1e-5);  // (0.9 * 0 + 0.6 * 1) / 1.5
  EXPECT_NEAR(out[0].keypoints[2].x, 6.0 / 1.5, 1e-5);
  EXPECT_FLOAT_EQ(out[1].box.x, 50.0f);
}

TEST(BlazeFaceModel, MissingModelIsNamed) {
  try {
    BlazeFace b("/nonexistent/blazeface");
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/blazeface/face_detection_front_128x128_barracuda.onnx"),
              std::string::npos) << e.what();
  }
}

class RealPhotos : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cv::setNumThreads(0);
    ASSERT_TRUE(test::have(default_detector_dir() / "face_detection_front_128x128_barracuda.onnx", test::kRunSetup));
    det_ = new BlazeFace(default_detector_dir());
  }
  static void TearDownTestSuite() { delete det_; det_ = nullptr; }
  static BlazeFace* det_;
  // An even sample of a class folder (file names cluster by source, so not the first n).
  static std::vector<fs::path> sample(const std::string& cls, size_t n) {
    const auto all = list_images(test::shared_dir() / "data" / "dev" / cls);
    std::vector<fs::path> pick;
    n = std::min(n, all.size());
    for (size_t k = 0; k < n; ++k) pick.push_back(all[k * all.size() / n]);
    return pick;
  }
};
BlazeFace* RealPhotos::det_ = nullptr;

TEST_F(RealPhotos, FindsCoveredFaces) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  ASSERT_TRUE(test::have(dev, "../shared/data/dev holds the development photos"));
  for (const char* cls : {"0_0_0", "1_1_0", "1_0_1", "1_1_1"}) {
    const auto files = sample(cls, 100);
    int found = 0;
    for (const auto& f : files) found += !det_->detect(cv::imread(f.string(), cv::IMREAD_COLOR)).empty();
    const double rate = double(found) / double(files.size());
    std::printf("%s: faces found in %d of %zu photos (%.1f %%)\n", cls, found, files.size(), 100 * rate);
    // The 16 "both" photos: one is cut at the brows (no eyes, no nose bridge), so
    // 15/16 = 93.8 % is the measured best there; the classes with 100 photos need 95 %.
    EXPECT_GE(rate, files.size() >= 100 ? 0.95 : 0.93) << cls;
  }
}

TEST_F(RealPhotos, KeypointsAgreeWithDlibOnCleanFaces) {
  ASSERT_TRUE(test::have(default_shape_predictor(), "install libdlib-data (scripts/setup.sh)"));
  const FaceFinder dlib68(default_shape_predictor());
  // Error per keypoint as a fraction of the inter-ocular distance. The mouth
  // keypoint is the centre between the lips (dlib 62/66).
  std::vector<double> err[4];
  for (const auto& f : sample("0_0_0", 120)) {
    const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
    const auto ref = dlib68.find(img, 1);
    const auto d = det_->detect(img);
    if (ref.size() != 1 || d.empty()) continue;
    const auto& p = ref[0].points;
    const FivePoints five = five_points(p);
    const cv::Point2f want[4] = {five[0], five[1], p[30], (p[62] + p[66]) * 0.5f};
    const FourPoints got = four_points(d[0]);
    const double iod = cv::norm(five[1] - five[0]);
    for (int k = 0; k < 4; ++k) err[k].push_back(cv::norm(got[size_t(k)] - want[k]) / iod);
  }
  ASSERT_GE(err[0].size(), 40u) << "too few clean faces that dlib finds alone";
  const char* names[4] = {"eye (image left)", "eye (image right)", "nose tip", "mouth centre"};
  for (int k = 0; k < 4; ++k) {
    auto v = err[k];
    std::sort(v.begin(), v.end());
    const double med = v[v.size() / 2], p90 = v[v.size() * 9 / 10];
    const double within5 = double(std::lower_bound(v.begin(), v.end(), 0.05) - v.begin()) / double(v.size());
    std::printf("%-18s median %.3f  p90 %.3f  within 5 %% of IOD: %.0f %% (n = %zu)\n", names[k], med, p90,
                100 * within5, v.size());
    // Measured (120 clean dev faces): median 0.05-0.06, p90 0.10-0.13. 5 % of the
    // IOD is ~1 px of the 128 px network input: the keypoints' own resolution.
    EXPECT_LT(med, 0.07) << names[k];
    EXPECT_LT(p90, 0.16) << names[k];
  }
}

TEST_F(RealPhotos, NoFaceWhereThereIsNone) {
  ASSERT_TRUE(test::have(no_face_photos_dir() / "coffee.png", test::kRunSetup));
  std::vector<std::pair<std::string, cv::Mat>> images;
  for (const auto& f : list_images(no_face_photos_dir())) images.push_back({f.filename().string(), cv::imread(f.string())});
  cv::RNG rng(7);
  cv::Mat noise(240, 320, CV_8UC3), gauss(320, 240, CV_8UC3), grad(200, 200, CV_8UC3);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  rng.fill(gauss, cv::RNG::NORMAL, 128, 40);
  for (int y = 0; y < grad.rows; ++y) grad.row(y).setTo(cv::Scalar(y, 255 - y, 128));
  images.push_back({"uniform noise", noise});
  images.push_back({"gaussian noise", gauss});
  images.push_back({"gradient", grad});
  images.push_back({"grey", cv::Mat(240, 320, CV_8UC3, cv::Scalar::all(128))});
  // The MaskTheFace fabric textures, when ../shared has them.
  const fs::path tex = test::shared_dir() / "third_party" / "maskthefaces";
  if (fs::is_directory(tex))
    for (const auto& f : list_images(tex))
      if (f.string().find("textures") != std::string::npos) images.push_back({f.filename().string(), cv::imread(f.string())});
  ASSERT_GE(images.size(), 9u);
  for (const auto& [name, img] : images) {
    ASSERT_FALSE(img.empty()) << name;
    const auto d = det_->detect(img);
    EXPECT_TRUE(d.empty()) << name << ": " << d.size() << " faces, best score " << (d.empty() ? 0 : d[0].score);
  }
}

TEST_F(RealPhotos, SameDetectionsAtOneAndTwoThreads) {
  std::vector<fs::path> files;
  for (const char* cls : {"0_0_0", "1_1_0", "1_0_1"})
    for (auto& f : sample(cls, 12)) files.push_back(f);
  auto run = [&](int threads) {
    std::vector<std::vector<FaceDetection>> out(files.size());
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
    tbb::enumerable_thread_specific<BlazeFace> dets([&] { return det_->clone(); });
    tbb::parallel_for(size_t(0), files.size(), [&](size_t i) { out[i] = dets.local().detect(cv::imread(files[i].string())); });
    return out;
  };
  const auto one = run(1), two = run(2);
  for (size_t i = 0; i < files.size(); ++i) {
    ASSERT_EQ(one[i].size(), two[i].size()) << files[i];
    for (size_t k = 0; k < one[i].size(); ++k) {
      EXPECT_EQ(one[i][k].box, two[i][k].box) << files[i];
      EXPECT_EQ(one[i][k].score, two[i][k].score) << files[i];
      for (size_t j = 0; j < 6; ++j) EXPECT_EQ(one[i][k].keypoints[j], two[i][k].keypoints[j]) << files[i];
    }
  }
}

TEST_F(RealPhotos, AlignedCropEmbedsLikeTheReferenceCrop) {
  const fs::path photo = test_photos_dir() / "franck_01829.jpg";
  ASSERT_TRUE(test::have(photo, test::kRunSetup));
  const cv::Mat img = cv::imread(photo.string(), cv::IMREAD_COLOR);
  const AlignedFace a = find_and_align(img, *det_, 112);
  ASSERT_TRUE(a.face_found);
  EXPECT_EQ(a.faces, 1);
  ASSERT_EQ(a.crop.size(), cv::Size(112, 112));
  // Reference embedding of the shipped crop made from the same photo.
  std::vector<float> ref = test::reference_embedding("franck_01829.png");
  ASSERT_EQ(ref.size(), 192u);
  MobileFaceNet net = import_tfjs(default_weights_json());
  torch::NoGradGuard g;
  const torch::Tensor e = net->forward(preprocess_rgb_u8(to_rgb_batch({a.crop})))[0];
  const double cos = torch::cosine_similarity(e, torch::from_blob(ref.data(), {192}), 0).item<double>();
  std::printf("cosine(BlazeFace-aligned photo, reference crop) = %.4f\n", cos);
  EXPECT_GT(cos, 0.85);
}

TEST_F(RealPhotos, NoFaceGivesTheCentreCrop) {
  const AlignedFace a = find_and_align(cv::Mat(90, 160, CV_8UC3, cv::Scalar(30, 60, 90)), *det_, 112);
  EXPECT_FALSE(a.face_found);
  EXPECT_EQ(a.faces, 0);
  EXPECT_EQ(a.crop.size(), cv::Size(112, 112));
}

}  // namespace
}  // namespace faceocc
