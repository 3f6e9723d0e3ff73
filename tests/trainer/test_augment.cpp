// The augmentations that change pixels by region or by codec: the occlusion-
// region augmentation keeps exactly the occluded half, and JPEG re-compression
// is seeded (same seed => same bytes) and stays close to the input.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/data/jpeg_augment.hpp"
#include "faceocc/train/learn/train_loop.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

// Real aligned-size photos: the test crops of ../shared/testdata/mobilefacenet.
torch::Tensor real_crops() {
  std::vector<cv::Mat> crops;
  for (const auto& e : std::filesystem::directory_iterator(test::shared_dir() / "testdata" / "mobilefacenet")) {
    const auto ext = e.path().extension().string();
    if (ext != ".png" && ext != ".jpg") continue;
    cv::Mat im = cv::imread(e.path().string());
    if (im.empty()) continue;
    cv::resize(im, im, {112, 112});
    crops.push_back(im);
  }
  return to_rgb_batch(crops);
}

TEST(OcclusionRegionAugment, KeepsTheOccludedHalfOnly) {
  const torch::Tensor u8 = real_crops();
  ASSERT_GE(u8.size(0), 4);
  const torch::Tensor x = preprocess_rgb_u8(u8.slice(0, 0, 4));
  const torch::Tensor labels = torch::tensor({0, 1, 2, 3}, torch::kLong);
  torch::manual_seed(3);
  const torch::Tensor y = suppress_unoccluded(x, labels, 1.0);
  const int64_t split = std::lround(kRegionSplit * 112);
  // none and both: untouched.
  EXPECT_TRUE(torch::equal(y[0], x[0]));
  EXPECT_TRUE(torch::equal(y[3], x[3]));
  // upper (eyes): top kept exactly, bottom suppressed (smoother: less pixel-to-pixel change).
  EXPECT_TRUE(torch::equal(y[1].slice(1, 0, split), x[1].slice(1, 0, split)));
  auto roughness = [](const torch::Tensor& t) { return (t.slice(2, 1) - t.slice(2, 0, -1)).abs().mean().item<double>(); };
  EXPECT_LT(roughness(y[1].slice(1, split)), 0.5 * roughness(x[1].slice(1, split)));
  // lower (mouth/chin): bottom kept, top suppressed.
  EXPECT_TRUE(torch::equal(y[2].slice(1, split), x[2].slice(1, split)));
  EXPECT_LT(roughness(y[2].slice(1, 0, split)), 0.5 * roughness(x[2].slice(1, 0, split)));
  // p = 0 is the identity.
  EXPECT_TRUE(torch::equal(suppress_unoccluded(x, labels, 0.0), x));
}

TEST(JpegAugment, SeededAndClose) {
  const torch::Tensor u8 = real_crops();
  JpegAugmentOptions o;
  o.p = 1.0;
  torch::Tensor a = u8.clone(), b = u8.clone(), c = u8.clone();
  jpeg_recompress(a, 42, o);
  jpeg_recompress(b, 42, o);
  EXPECT_TRUE(torch::equal(a, b));  // same seed, same bytes
  EXPECT_FALSE(torch::equal(a, u8));
  o.min_quality = o.max_quality = 95;
  jpeg_recompress(c, 42, o);
  const double mse = (c.to(torch::kFloat) - u8.to(torch::kFloat)).pow(2).mean().item<double>();
  EXPECT_GT(10 * std::log10(255.0 * 255.0 / mse), 30.0);  // quality 95: PSNR above 30 dB
  torch::Tensor d = u8.clone();
  o.p = 0;
  jpeg_recompress(d, 42, o);
  EXPECT_TRUE(torch::equal(d, u8));
}

}  // namespace
}  // namespace faceocc
