// Photographed hands: cut out of their real photos (green screen without its
// spill, plain wall by GrabCut), refused by measured criteria, posed on the
// canonical face where each pose says, covering what they are meant to cover
// on a real face (the decoys covering neither region), and shipped with their
// origin and licence.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/canonical_face.hpp"
#include "faceocc/gen/composite.hpp"
#include "faceocc/gen/hand_photos.hpp"
#include "faceocc/gen/least_squares.hpp"
#include "faceocc/gen/regions.hpp"
#include "faceocc/gen/sample.hpp"
#include "faceocc/image_read.hpp"
#include "real_face_fixture.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_THREAD__)
// occassets cuts the hands out in one thread, but OpenCV's own loops (GrabCut's) run on its
// TBB pool, which is not instrumented: TSan sees a worker's buffer freed by this thread after a
// join it cannot see. Under TSan, OpenCV runs in the calling thread (as in occgen), so what TSan
// checks is our code.
const bool kOpenCvInCallingThread = (cv::setNumThreads(0), true);
#endif

fs::path hands() { return test::shared_dir() / "third_party" / "hands"; }

cv::Mat photo(const std::string& rel) {
  const ImageRead r = read_image(hands() / rel);
  EXPECT_TRUE(r.problem.empty()) << rel << ": " << r.problem;
  return r.image;
}

const char* kPaper = "rock_paper_scissors/paper/04l5I8TqdzF9WDMJ.jpg";  // a flat hand, wrist leaving on the right
const char* kSign = "sign_language_digits/5/IMG_1123.JPG";              // an open palm, wrist leaving at the bottom

TEST(HandCutout, GreenScreenKeyedWithItsSpillRemoved) {
  ASSERT_TRUE(test::have(hands() / kPaper, "../shared/third_party/hands is part of the shared data"));
  const cv::Mat p = photo(kPaper);
  const HandCutout h = cut_out_hand(p, HandBackdrop::GreenScreen);
  EXPECT_EQ(h.rejected, "");
  EXPECT_EQ(h.wrist_side, 1) << "the arm leaves the rock-paper-scissors photos on the right";
  EXPECT_LT(h.tip.x, h.centre.x);
  EXPECT_LT(h.centre.x, h.wrist.x);
  EXPECT_GT(h.area, 0.2);
  EXPECT_LT(h.area, 0.6);
  EXPECT_GT(h.skin, 0.9);
  // The soft edge: in the photo green leads there (the screen's light on the skin); after the key it does not.
  std::vector<cv::Mat> ch;
  cv::split(h.bgra, ch);
  const cv::Mat edge = (ch[3] > 25) & (ch[3] < 230);
  ASSERT_GT(cv::countNonZero(edge), 100);
  const cv::Scalar m = cv::mean(h.bgra, edge);
  EXPECT_LE(m[1], (m[0] + m[2]) / 2 + 1.0) << "green spill left on the edge";
  // Everything far from the hand is keyed out.
  EXPECT_EQ(h.bgra.at<cv::Vec4b>(0, 0)[3], 0);
}

TEST(HandCutout, PlainWallCutByGrabCutTheSameEveryTime) {
  ASSERT_TRUE(test::have(hands() / kSign, "../shared/third_party/hands is part of the shared data"));
  const cv::Mat p = photo(kSign);
  const HandCutout a = cut_out_hand(p, HandBackdrop::PlainWall);
  cv::theRNG().state = 12345;  // GrabCut's k-means draws from this: the cut-out must not depend on it
  const HandCutout b = cut_out_hand(p, HandBackdrop::PlainWall);
  EXPECT_EQ(a.rejected, "");
  EXPECT_EQ(a.wrist_side, 2) << "the arm leaves the sign-language photos at the bottom";
  EXPECT_LT(a.tip.y, a.centre.y);
  EXPECT_GT(a.skin, 0.8);
  EXPECT_GT(a.area, 0.1);
  EXPECT_LT(a.area, 0.5);
  ASSERT_EQ(a.bgra.size(), b.bgra.size());
  EXPECT_EQ(cv::norm(a.bgra, b.bgra, cv::NORM_INF), 0.0);
}

TEST(HandCutout, RefusesWhatIsNotAUsableHand) {
  ASSERT_TRUE(test::have(hands() / kPaper, "../shared/third_party/hands is part of the shared data"));
  const cv::Mat green(200, 300, CV_8UC3, cv::Scalar(60, 200, 70));
  EXPECT_EQ(cut_out_hand(green, HandBackdrop::GreenScreen).rejected, "no hand found");
  cv::Mat cut = green.clone();  // a skin-coloured block through the whole frame: cut on two sides
  cut(cv::Rect(0, 60, 300, 80)).setTo(cv::Scalar(120, 150, 200));
  EXPECT_NE(cut_out_hand(cut, HandBackdrop::GreenScreen).rejected.find("cut by a second side"), std::string::npos);
  cv::Mat blurred;
  cv::GaussianBlur(photo(kPaper), blurred, cv::Size(0, 0), 5.0);
  EXPECT_NE(cut_out_hand(blurred, HandBackdrop::GreenScreen).rejected.find("motion blur"), std::string::npos);
  cv::Mat sleeve = photo(kPaper);  // a dark sleeve over the back of the hand
  sleeve(cv::Rect(120, 40, 180, 120)).setTo(cv::Scalar(90, 40, 30));
  const HandCutout s = cut_out_hand(sleeve, HandBackdrop::GreenScreen);
  EXPECT_NE(s.rejected.find("skin"), std::string::npos) << s.rejected;
}

TEST(HandPoses, AnchorsPutTheHandWhereThePoseSays) {
  ASSERT_TRUE(test::have(hands() / kPaper, "../shared/third_party/hands is part of the shared data"));
  const HandCutout h = cut_out_hand(photo(kPaper), HandBackdrop::GreenScreen);
  const Landmarks68& c = canonical_face_68();
  const double mid[4] = {0.5, 0.5, 0.5, 0.5};
  auto placed = [&](HandPose pose) {  // the hand's centre and pointing direction on the canonical face
    std::vector<cv::Point2f> from, to;
    for (const Anchor& a : hand_pose_anchors(h, pose, mid)) from.push_back(a.at), to.push_back(c[a.landmark]);
    const cv::Mat M = fit_affine(from, to);
    std::vector<cv::Point2f> in{h.centre, h.wrist, h.tip}, out;
    cv::transform(in, out, M);
    return out;
  };
  const cv::Point2f eyes = (c[36] + c[45]) * 0.5f, mouth = (c[48] + c[54]) * 0.5f;
  const auto e = placed(HandPose::Eyes);
  EXPECT_LT(cv::norm(e[0] - eyes), 4.0);
  EXPECT_LT(e[2].x, e[1].x) << "fingers across the face, the wrist to one side";
  EXPECT_LT(std::abs(e[2].y - e[1].y), 0.2 * std::abs(e[2].x - e[1].x)) << "held level";
  const auto m = placed(HandPose::Mouth);
  EXPECT_LT(cv::norm(m[0] - mouth), 5.0);
  const auto cheek = placed(HandPose::CheekTouch);
  EXPECT_LT(cheek[2].y, cheek[1].y) << "fingers up the cheek";
  EXPECT_LT(cheek[0].x, c[2].x) << "beside the face, not over it";
}

class HandsOnARealFace : public test::RealFace {};

// The shipped hands, each exactly on its anchors: what covers the eyes covers them and leaves the
// mouth, what covers the mouth the reverse, and a decoy leaves both (a few poses may land in the
// ambiguous band on one face: occgen re-draws those; the shares below are what this face gives).
TEST_F(HandsOnARealFace, ShippedPosesCoverWhatTheyAreMeantFor) {
  const OccluderLibrary lib = load_occluders(fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders");
  const FaceSource& f = index_->faces[0];
  const LabelRule rule;
  std::map<std::string, std::pair<int, int>> right;  // covers -> (as meant, all)
  for (OccluderAsset a : lib.assets) {
    if (a.id.rfind("hand_photo_", 0) != 0) continue;
    a.scale_min = a.scale_max = 1.0f;
    a.rotation_deg = a.shift = 0.0f;
    cv::Mat img = f.crop.clone(), mask(img.size(), CV_8UC1, cv::Scalar(0));
    Rng rng(5);
    place_occluder(img, mask, a, f, f.points, rng, 0.0f, false);
    const auto cls = label_from_coverage(measure_coverage(mask, f.points), rule);
    const OccClass meant = a.covers == "upper" ? OccClass::Upper : a.covers == "lower" ? OccClass::Lower : OccClass::None;
    auto& [ok, all] = right[a.covers];
    ok += cls && *cls == meant;
    ++all;
  }
  ASSERT_EQ(right.size(), 3u);
  for (const auto& [covers, n] : right) {
    EXPECT_GE(n.second, 20) << covers;
    EXPECT_GE(double(n.first) / n.second, 0.75) << covers << ": " << n.first << " of " << n.second << " as meant";
  }
}

// occgen's --touch: a hand decoy joins samples of every class, and the class is still what coverage says.
TEST_F(HandsOnARealFace, HandDecoysJoinEveryClassWhichStaysMeasured) {
  const OccluderLibrary lib = load_occluders(fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders");
  const OccluderPools pools(lib);
  ASSERT_FALSE(pools.touch.empty());
  std::map<std::string, std::string> covers;
  for (const OccluderAsset& a : lib.assets) covers[a.id] = a.covers;
  SampleOptions o;
  o.touch = 1.0;
  o.decoy = o.eyeglasses = 0.0;
  for (OccClass target : {OccClass::None, OccClass::Upper, OccClass::Lower}) {
    for (int i = 0; i < 6; ++i) {
      const auto s = generate_sample(7, i, target, index_->faces, lib, pools, o);
      ASSERT_TRUE(s) << class_folder(target) << " " << i;
      EXPECT_EQ(s->cls, target);
      int touching = 0;
      for (const Placement& p : s->occluders) touching += covers[p.asset_id] == "touch";
      EXPECT_EQ(touching, 1) << class_folder(target) << " " << i;
      if (target == OccClass::None) {
        EXPECT_LE(s->coverage.upper, o.rule.visible);
        EXPECT_LE(s->coverage.lower, o.rule.visible);
      }
    }
  }
}

TEST(HandPhotos, ShippedHandsCarryOriginAndLicence) {
  const fs::path dir = fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders";
  const OccluderLibrary lib = load_occluders(dir);
  for (const auto& [file, why] : lib.rejected) ADD_FAILURE() << file << ": " << why;
  int rps = 0, sld = 0, touch = 0;
  for (const OccluderAsset& a : lib.assets) {
    if (a.id.rfind("hand_photo_rps_", 0) == 0) {
      ++rps;
      EXPECT_EQ(a.licence.rfind("CC BY-SA 4.0", 0), 0u) << a.id;
      EXPECT_NE(a.origin.find("Bruere-Terreault"), std::string::npos) << a.id;
    } else if (a.id.rfind("hand_photo_sld_", 0) == 0) {
      ++sld;
      EXPECT_EQ(a.licence.rfind("Apache-2.0", 0), 0u) << a.id;
      EXPECT_NE(a.origin.find("Sign Language Digits"), std::string::npos) << a.id;
    } else {
      continue;
    }
    EXPECT_EQ(a.recolor, Recolor::SkinTone) << a.id;
    touch += a.covers == "touch";
  }
  EXPECT_GE(rps, 60);
  EXPECT_GE(sld, 50);
  EXPECT_GE(touch, 30);
  EXPECT_TRUE(fs::exists(dir / "hands_rps" / "NOTICE.rock_paper_scissors.txt"));
  EXPECT_TRUE(fs::exists(dir / "hands_sld" / "LICENSE.sign_language_digits.txt"));
}

}  // namespace
}  // namespace faceocc
