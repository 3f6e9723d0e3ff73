// Occluders harvested from real photos: cut only from the training split
// (never from a validation photo, by construction and by occtrain's check),
// written as ordinary assets with origin and licence, and segmented where the
// region is: a synthetic photo with a known occluder gives back that occluder.
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/gen/harvest.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/gen/harvest_run.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

class Harvest : public ::testing::Test {
 protected:
  void SetUp() override {
    dev_ = test::shared_dir() / "data" / "dev";
    if (!fs::is_directory(dev_)) GTEST_SKIP() << "../shared/data/dev is absent: no real photos to harvest from";
    dir_ = fs::temp_directory_path() / ("faceocc_harvest_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    test::write_dev_csv(dir_ / "list.csv", 12);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  HarvestRunOptions options() const {
    HarvestRunOptions o;
    o.real = {dir_ / "list.csv"};
    o.split_seed = 3;
    o.val_split = 0.3;
    o.out = dir_ / "harvest";
    o.log = [](const std::string&) {};
    return o;
  }
  fs::path dev_, dir_;
};

TEST_F(Harvest, CutOutsComeFromTrainingPhotosOnlyAndAreOrdinaryAssets) {
  const HarvestRunReport r = harvest_training_split(options());
  ASSERT_GT(r.written, 0) << "no cut-out from 36 occluded photos";
  // The same split occtrain makes from the same list.
  LoadReport lr;
  const ImageSet all = load_real({dir_ / "list.csv"}, {dir_ / "cache", {}, 0, [](const std::string&) {}}, lr);
  const RealSplit split = split_real(all, 0.3, 3);
  const std::set<std::string> train(split.train.sources.begin(), split.train.sources.end());
  const std::set<std::string> val(split.validation.sources.begin(), split.validation.sources.end());
  ASSERT_FALSE(val.empty());
  std::ofstream(dir_ / "harvest" / "harvest.report.json") << R"({"written": 1})";  // as occharvest writes: not an asset
  EXPECT_TRUE(fs::exists(dir_ / "harvest" / "rejected.csv"));
  const OccluderLibrary lib = load_occluders(dir_ / "harvest");
  EXPECT_TRUE(lib.rejected.empty()) << lib.rejected.front().first << ": " << lib.rejected.front().second;
  EXPECT_EQ(int(lib.assets.size()), r.written);
  for (const OccluderAsset& a : lib.assets) {
    const std::string key = harvest_source_key(a.id);
    EXPECT_TRUE(train.count(key)) << a.id << " is not from a training photo";
    EXPECT_FALSE(val.count(key)) << a.id << " was cut from a validation photo";
    EXPECT_NE(a.origin.find(key), std::string::npos) << a.id;
    EXPECT_NE(a.origin.find("dev/"), std::string::npos) << a.id << ": origin names the photo";
    EXPECT_FALSE(a.licence.empty()) << a.id;
    EXPECT_TRUE(a.covers == "upper" || a.covers == "lower") << a.id;
  }
  // Resumable: a second run writes nothing new.
  const HarvestRunReport again = harvest_training_split(options());
  EXPECT_EQ(again.written, 0);
  EXPECT_EQ(again.kept, r.written + r.kept);
  EXPECT_EQ(again.tried, 0) << "photos rejected before were tried again";
  EXPECT_EQ(again.rejected_earlier, r.tried - r.written);
}

TEST_F(Harvest, OcctrainRefusesOccludersCutFromItsValidationPhotos) {
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  LoadReport lr;
  const ImageSet all = load_real({dir_ / "list.csv"}, {dir_ / "cache", {}, 0, [](const std::string&) {}}, lr);
  const RealSplit split = split_real(all, 0.3, 3);
  ASSERT_GT(split.validation.size(), 0);
  // An occgen folder whose manifest used a cut-out of a validation photo (as
  // a harvest with another split seed would have made).
  const fs::path syn = dir_ / "syn";
  fs::create_directories(syn);
  std::ofstream(syn / "manifest.csv") << "id,class,source,face,flipped,occluders,upper_coverage,lower_coverage,sample_seed,attempts\n"
                                      << "00000000,1_1_0,a.jpg,0,0," << harvest_id(true, split.validation.sources[0])
                                      << "@s=1.000/r=0.00/dx=0.000/dy=0.000/shadow=0,0.9,0.0,1,1\n";
  fs::create_directories(syn / "aligned112" / "1_1_0");  // its crop: usable synthetic data
  cv::imwrite((syn / "aligned112" / "1_1_0" / "00000000.jpg").string(), cv::Mat(112, 112, CV_8UC3, cv::Scalar(90, 120, 160)));
  const std::string cmd = std::string(FACEOCC_OCCTRAIN) + " --real " + (dir_ / "list.csv").string() + " --synthetic " +
                          syn.string() + " --mix 0.3 --split-seed 3 --val-split 0.3 --epochs 1 --batch 16 --cache " +
                          (dir_ / "cache").string() + " --out " + (dir_ / "run").string() + " > " + (dir_ / "log.txt").string() + " 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 1);
  std::stringstream log;
  log << std::ifstream(dir_ / "log.txt").rdbuf();
  EXPECT_NE(log.str().find("harvested from validation photo"), std::string::npos) << log.str();
}

// A shipped clean photo, BlazeFace's face on it, its eye keypoints and their distance.
struct ShippedFace {
  cv::Mat img;
  FaceDetection f;
  cv::Point2f re, le;
  float d = 0;
};
void shipped_face(ShippedFace& s) {
  const fs::path photo = default_faces_dir() / "sample2.jpg";
  ASSERT_TRUE(test::have(photo, test::kRunSetup));
  s.img = cv::imread(photo.string());
  const auto faces = BlazeFace(default_detector_dir()).detect(s.img);
  ASSERT_FALSE(faces.empty());
  s.f = faces.front();
  s.re = s.f.keypoints[kRightEye];
  s.le = s.f.keypoints[kLeftEye];
  s.d = float(cv::norm(s.le - s.re));
}

TEST(HarvestOccluder, CutsOutAKnownOccluderWhereItIs) {
  // A real clean face with a flat dark band over the eyes (sunglasses-like):
  // the cut-out must cover the eye region and not the mouth.
  ShippedFace sf;
  ASSERT_NO_FATAL_FAILURE(shipped_face(sf));
  std::vector<cv::Point> band;
  const cv::Point2f out_r = sf.re + (sf.re - sf.le) * 0.45f, out_l = sf.le + (sf.le - sf.re) * 0.45f;
  for (auto p : {out_r + cv::Point2f(0, -0.25f * sf.d), out_l + cv::Point2f(0, -0.25f * sf.d), out_l + cv::Point2f(0, 0.3f * sf.d),
                 out_r + cv::Point2f(0, 0.3f * sf.d)})
    band.push_back(cv::Point(cvRound(p.x), cvRound(p.y)));
  cv::fillConvexPoly(sf.img, band, cv::Scalar(20, 25, 30));
  const HarvestResult r = harvest_occluder(sf.img, sf.f, true, "0123456789abcdef", "test.jpg", "test");
  ASSERT_TRUE(r.asset) << r.rejected;
  EXPECT_GT(r.cover, 0.55);
  EXPECT_GT(r.contrast, 14);
  EXPECT_EQ(r.asset->id, "harvest_upper_0123456789abcdef");
  EXPECT_EQ(harvest_source_key(r.asset->id), "0123456789abcdef");
  // Same input, same bytes, whatever the thread's random state.
  cv::theRNG() = cv::RNG(12345);
  const HarvestResult again = harvest_occluder(sf.img, sf.f, true, "0123456789abcdef", "test.jpg", "test");
  ASSERT_TRUE(again.asset);
  EXPECT_EQ(cv::norm(again.asset->bgra, r.asset->bgra, cv::NORM_INF), 0);
  // Where the skin is below the band, the lower face is not cut.
  const HarvestResult lower = harvest_occluder(sf.img, sf.f, false, "0123456789abcdef", "test.jpg", "test");
  EXPECT_FALSE(lower.asset && lower.cover > 0.55) << "a clean mouth was cut out as an occluder";
}

// Two dark lenses with nothing joining them (the bridge lost in the cut): both
// are kept, so the cut-out covers both eyes. Keeping only the largest piece cut
// one lens and rejected the pair as covering too little (measured: 128 instead
// of 89 upper cut-outs from the development photos' training split).
TEST(HarvestOccluder, KeepsBothLensesOfAPair) {
  ShippedFace sf;
  ASSERT_NO_FATAL_FAILURE(shipped_face(sf));
  for (cv::Point2f e : {sf.re, sf.le})
    cv::ellipse(sf.img, cv::Point(cvRound(e.x), cvRound(e.y + 0.03f * sf.d)), cv::Size(cvRound(0.4f * sf.d), cvRound(0.3f * sf.d)),
                0, 0, 360, cv::Scalar(20, 25, 30), cv::FILLED, cv::LINE_AA);
  const HarvestResult r = harvest_occluder(sf.img, sf.f, true, "00000000000000aa", "test.jpg", "test");
  ASSERT_TRUE(r.asset) << r.rejected;
  EXPECT_GT(r.cover, 0.55);
  // Both lenses: opaque pixels on either side of the asset's middle.
  cv::Mat alpha;
  cv::extractChannel(r.asset->bgra, alpha, 3);
  const int half = alpha.cols / 2;
  const double left = cv::countNonZero(alpha.colRange(0, half) > 128), right = cv::countNonZero(alpha.colRange(half, alpha.cols) > 128);
  EXPECT_GT(std::min(left, right) / std::max(left, right), 0.5) << left << " vs " << right;
}

}  // namespace
}  // namespace faceocc
