// Photographed masks: imported with their origin and licence, anchored to the
// landmarks they are meant for, the view chosen from the face's yaw, and lit
// by the face's light without the light ever touching the occlusion alpha.
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/composite.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/mask_templates.hpp"
#include "faceocc/gen/regions.hpp"
#include "faceocc/gen/sample.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

fs::path maskthefaces() { return test::shared_dir() / "third_party" / "maskthefaces"; }

TEST(PhotoMasks, ImportKeepsOriginLicenceAndTheSixAnchors) {
  ASSERT_TRUE(test::have(maskthefaces() / "masks" / "masks.cfg", "../shared/third_party/maskthefaces is part of the shared data"));
  const ImportedMasks m = import_maskthefaces(maskthefaces(), 256, 128);
  std::map<std::string, std::set<View>> views;
  for (const OccluderAsset& a : m.assets) {
    EXPECT_LE(a.bgra.cols, 256) << a.id;
    EXPECT_EQ(a.covers, "lower");
    EXPECT_EQ(a.warp, Warp::Piecewise);
    EXPECT_NE(a.origin.find("MaskTheFace"), std::string::npos) << a.id;
    EXPECT_NE(a.origin.find("masks/templates/"), std::string::npos) << a.id;
    EXPECT_NE(a.licence.find("MIT"), std::string::npos) << a.id;
    ASSERT_EQ(a.anchors.size(), 6u) << a.id;
    const int expected[6] = {1, 28, 15, 4, 8, 12};
    for (int i = 0; i < 6; ++i) EXPECT_EQ(a.anchors[i].landmark, expected[i]) << a.id;
    views[a.family].insert(a.view);
  }
  EXPECT_EQ(m.assets.size(), 24u);  // 21 templates, cloth also in fabrics
  EXPECT_EQ(views.size(), 8u);
  for (const auto& [family, v] : views) EXPECT_EQ(v.size(), 3u) << family << ": frontal, left and right";
  EXPECT_EQ(m.textures.size(), 27u);
  for (const auto& [name, t] : m.textures) EXPECT_LE(std::max(t.cols, t.rows), 128) << name;
}

TEST(PhotoMasks, EveryShippedAssetHasOriginAndLicence) {
  const fs::path dir = fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders";
  const OccluderLibrary lib = load_occluders(dir);
  for (const auto& [file, why] : lib.rejected) ADD_FAILURE() << file << ": " << why;
  int photographed = 0;
  for (const OccluderAsset& a : lib.assets) {
    EXPECT_FALSE(a.origin.empty()) << a.id;
    EXPECT_FALSE(a.licence.empty()) << a.id;
    if (a.origin.find("MaskTheFace") != std::string::npos) ++photographed;
  }
  EXPECT_GE(photographed, 24);
  EXPECT_TRUE(fs::exists(dir / "LICENSE.maskthefaces.txt")) << "the MIT licence travels with the copies";
  EXPECT_GE(lib.fabrics, 27);
}

class MaskOnRealFace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(test::have(default_faces_dir() / "sample2.jpg", test::kRunSetup));
    dir_ = new fs::path(fs::temp_directory_path() / ("faceocc_pm_" + std::to_string(::getpid())));
    index_ = new FaceIndex(test::index_shipped_photo(*dir_, "sample2.jpg"));
    ASSERT_FALSE(index_->faces.empty());
    lib_ = new OccluderLibrary(load_occluders(fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete index_;
    delete lib_;
  }
  static std::vector<const OccluderAsset*> photo_masks() {
    std::vector<const OccluderAsset*> v;
    for (const auto& a : lib_->assets)
      if (a.warp == Warp::Piecewise) v.push_back(&a);
    return v;
  }
  static fs::path* dir_;
  static FaceIndex* index_;
  static OccluderLibrary* lib_;
};
fs::path* MaskOnRealFace::dir_ = nullptr;
FaceIndex* MaskOnRealFace::index_ = nullptr;
OccluderLibrary* MaskOnRealFace::lib_ = nullptr;

TEST_F(MaskOnRealFace, EveryPhotographedMaskCoversTheMouthAndChinNotTheEyes) {
  const FaceSource& f = index_->faces[0];
  ASSERT_GE(photo_masks().size(), 24u);
  for (const OccluderAsset* p : photo_masks()) {
    OccluderAsset a = *p;
    a.scale_min = a.scale_max = 1.0f;
    a.rotation_deg = a.shift = 0.0f;
    cv::Mat img = f.crop.clone(), mask(img.size(), CV_8UC1, cv::Scalar(0));
    Rng rng(5);
    place_occluder(img, mask, a, f, f.points, rng, 0.0f, false);
    const Coverage c = measure_coverage(mask, f.points);
    EXPECT_GT(c.lower, 0.6) << a.id;
    EXPECT_LT(c.upper, 0.1) << a.id;
  }
}

TEST_F(MaskOnRealFace, TheViewFollowsTheFacesYaw) {
  // Move the nose tip along the jaw-to-jaw axis, keeping its distance from it
  // (the test face is rolled by ~20 degrees: the axis, not x, is what counts).
  const Landmarks68 pts = index_->faces[0].points;
  const cv::Point2f axis = pts[16] - pts[0];
  const cv::Point2f off = (pts[30] - pts[0]) - axis * ((pts[30] - pts[0]).dot(axis) / axis.dot(axis));
  auto nose_at = [&](float t) {
    Landmarks68 p = pts;
    p[30] = pts[0] + axis * t + off;
    return face_view(p);
  };
  EXPECT_EQ(face_view(pts), View::Left) << "sample2.jpg's face is turned towards the image's left";
  EXPECT_EQ(nose_at(0.3f), View::Left);
  EXPECT_EQ(nose_at(0.5f), View::Frontal);
  EXPECT_EQ(nose_at(0.7f), View::Right);

  const OccluderPools pools(*lib_);
  std::map<std::string, int> families;  // family -> entries in the pool
  for (int i : pools.lower.all) {
    const OccluderAsset& a = lib_->assets[i];
    if (a.family.empty()) continue;
    ++families[a.family];
    for (View v : {View::Left, View::Right, View::Frontal}) {
      const OccluderAsset& b = lib_->assets[pools.view_of(*lib_, i, v)];
      EXPECT_EQ(b.family, a.family);
      EXPECT_EQ(b.view, v) << a.family;
    }
  }
  EXPECT_EQ(families.size(), 8u);
  for (const auto& [family, n] : families) EXPECT_EQ(n, 1) << family << ": one view, once";
}

TEST_F(MaskOnRealFace, BothIsMadeOnlyFromOccludersMeantToCombine) {
  const OccluderPools pools(*lib_);
  ASSERT_FALSE(pools.upper_to_combine.empty());
  ASSERT_LT(pools.upper_to_combine.all.size(), pools.upper.all.size()) << "the drawn hair and hands do not combine";
  for (int i : pools.upper_to_combine.all) EXPECT_TRUE(lib_->assets[i].combine) << lib_->assets[i].id;
  for (int i : pools.lower_to_combine.all) EXPECT_TRUE(lib_->assets[i].combine) << lib_->assets[i].id;
  SampleOptions opt;
  int made = 0;
  for (int64_t k = 0; k < 40; ++k) {
    const auto s = generate_sample(11, k, OccClass::Both, index_->faces, *lib_, pools, opt);
    if (!s) continue;
    ++made;
    for (const Placement& p : s->occluders)
      for (const OccluderAsset& a : lib_->assets)  // a hand decoy (covers "touch") makes no class: it may join any
        if (a.id == p.asset_id && a.covers != "touch") EXPECT_TRUE(a.combine) << a.id << " (combine: false) in a \"both\" sample";
  }
  EXPECT_GT(made, 20);
}

TEST_F(MaskOnRealFace, SideLightShadesTheMaskButNeverItsAlpha) {
  const FaceSource& f = index_->faces[0];
  const OccluderAsset* a = nullptr;
  for (const OccluderAsset* p : photo_masks())
    if (p->id == "mask_photo_surgical_blue_frontal") a = p;
  ASSERT_NE(a, nullptr);
  // The same face lit from the image's right, and from its left (ramps 0.3 -> 1).
  auto relit = [&](bool from_right) {
    cv::Mat m = f.crop.clone();
    for (int y = 0; y < m.rows; ++y)
      for (int x = 0; x < m.cols; ++x) {
        const double t = double(x) / (m.cols - 1);
        m.at<cv::Vec3b>(y, x) *= 0.3 + 0.7 * (from_right ? t : 1 - t);
      }
    return m;
  };
  cv::Mat right_img = relit(true), left_img = relit(false);
  cv::Mat right_mask(right_img.size(), CV_8UC1, cv::Scalar(0)), left_mask = right_mask.clone();
  Rng r1(9), r2(9);
  place_occluder(right_img, right_mask, *a, f, f.points, r1, 0.0f, false);
  place_occluder(left_img, left_mask, *a, f, f.points, r2, 0.0f, false);
  EXPECT_EQ(cv::norm(right_mask, left_mask, cv::NORM_INF), 0) << "the light changed the occlusion alpha";
  // Inside the mask, its left half against its right half.
  const cv::Rect box = cv::boundingRect(right_mask > 250);
  ASSERT_GT(box.area(), 100);
  auto ratio = [&](const cv::Mat& img) {
    const cv::Rect l(box.x, box.y, box.width / 2, box.height), r(box.x + box.width / 2, box.y, box.width / 2, box.height);
    return cv::mean(img(l), right_mask(l) > 250)[1] / cv::mean(img(r), right_mask(r) > 250)[1];
  };
  EXPECT_LT(ratio(right_img), 0.8 * ratio(left_img)) << "the mask is not darker on the face's shadow side";
}

}  // namespace
}  // namespace faceocc
