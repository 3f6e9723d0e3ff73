// Shortcut checks of a generated set: the difference hash and the
// near-duplicate count by hand, and the probe on folders made here: it must
// find a planted processing difference and find none where there is none.
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/near_duplicates.hpp"
#include "faceocc/gen/photo_pipeline.hpp"
#include "faceocc/gen/shortcut_probe.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(NearDuplicates, HashAndCount) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const cv::Mat a = cv::imread((test_photos_dir() / "audrey.jpg").string()), b = cv::imread((test_photos_dir() / "cage.jpg").string());
  cv::Mat a_noisy = a.clone(), a_small;
  cv::randn(a_noisy, cv::Scalar::all(0), cv::Scalar::all(2));
  a_noisy = a + a_noisy;
  cv::resize(a, a_small, {}, 0.5, 0.5, cv::INTER_AREA);
  const uint64_t ha = dhash(a);
  EXPECT_EQ(ha, dhash(a_small));  // scale does not matter
  EXPECT_LE(__builtin_popcountll(ha ^ dhash(a_noisy)), 3);
  EXPECT_GT(__builtin_popcountll(ha ^ dhash(b)), 10);
  // a, b, a again, a within 1 bit, a far one: two near-duplicates of earlier images.
  EXPECT_EQ(count_near_duplicates({ha, dhash(b), ha, ha ^ 1, ~ha}, 3), 2);
  EXPECT_EQ(count_near_duplicates({ha, ha ^ 0xF}, 3), 0);  // 4 bits apart
  EXPECT_THROW(count_near_duplicates({ha}, 4), std::invalid_argument);
}

TEST(PhotoPipeline, MovesLandmarksWithTheImageAndIsSeeded) {
  cv::Mat img(128, 128, CV_8UC3, cv::Scalar::all(90));
  cv::circle(img, {40, 50}, 3, cv::Scalar::all(255), -1);
  Landmarks68 pts{};
  pts[0] = {40, 50};
  cv::Mat a = img.clone(), b = img.clone();
  Landmarks68 pa = pts, pb = pts;
  Rng ra(5, 1), rb(5, 1);
  jitter_face(a, pa, ra);
  jitter_face(b, pb, rb);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0);  // same seed, same image
  cv::Mat grey;
  cv::cvtColor(a, grey, cv::COLOR_BGR2GRAY);
  const cv::Moments m = cv::moments(grey > 170, true);  // centroid of the dot
  ASSERT_GT(m.m00, 0);
  EXPECT_LT(cv::norm(cv::Point2f(float(m.m10 / m.m00), float(m.m01 / m.m00)) - pa[0]), 1.0);  // the landmark followed it
  photograph(a, ra);
  EXPECT_EQ(a.size(), img.size());
  EXPECT_EQ(a.type(), CV_8UC3);
}

// A fake occgen folder: real face photos as samples, one occluder-like
// rectangle mask each; `occluded_blur` blurs the occluded samples' whole image.
fs::path make_set(const std::string& name, double occluded_blur) {
  const fs::path d = fs::temp_directory_path() / ("faceocc_probe_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  for (const char* c : {"0_0_0", "1_1_0", "masks"}) fs::create_directories(d / c);
  std::vector<cv::Mat> photos;
  for (const auto& f : list_images(test_photos_dir())) photos.push_back(cv::imread(f.string()));
  std::ofstream man(d / "manifest.csv");
  man << "id,class\n";
  Rng rng(3);
  for (int i = 0; i < 160; ++i) {
    const bool occ = i % 2;
    const cv::Mat& src = photos[size_t(i / 2) % photos.size()];  // each photo in both groups
    const int side = std::min(src.cols, src.rows) * 3 / 4;
    const cv::Rect r(rng.below(src.cols - side), rng.below(src.rows - side), side, side);
    cv::Mat img;
    cv::resize(src(r), img, {128, 128}, 0, 0, cv::INTER_AREA);
    cv::Mat mask(128, 128, CV_8UC1, cv::Scalar(0));
    if (occ) {
      cv::rectangle(mask, cv::Rect(20 + rng.below(20), 30 + rng.below(20), 60, 30), cv::Scalar(255), -1);
      if (occluded_blur > 0) cv::GaussianBlur(img, img, {0, 0}, occluded_blur);
    }
    char id[9];
    std::snprintf(id, sizeof id, "%08d", i);
    const std::string cls = occ ? "1_1_0" : "0_0_0";
    cv::imwrite((d / cls / (std::string(id) + ".jpg")).string(), img, {cv::IMWRITE_JPEG_QUALITY, 92});
    cv::imwrite((d / "masks" / (std::string(id) + ".png")).string(), mask);
    man << id << "," << cls << "\n";
  }
  return d;
}

TEST(ShortcutProbe, FindsAPlantedProcessingDifferenceAndNoneOtherwise) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path fair = make_set("fair", 0.0), planted = make_set("planted", 1.5);
  const auto f = probe_shortcuts(fair), p = probe_shortcuts(planted);
  std::printf("probe accuracy: fair set %.3f +- %.3f, blurred-occluded set %.3f +- %.3f\n", f.accuracy, f.accuracy_sd,
              p.accuracy, p.accuracy_sd);
  EXPECT_EQ(f.clean, 80);
  EXPECT_EQ(f.occluded, 80);
  EXPECT_LT(f.accuracy, 0.65);
  EXPECT_GT(p.accuracy, 0.85);
  EXPECT_THROW(probe_shortcuts("/nonexistent"), std::runtime_error);
  fs::remove_all(fair);
  fs::remove_all(planted);
}

}  // namespace
}  // namespace faceocc
