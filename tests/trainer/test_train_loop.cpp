// A real fine-tune on a few dozen real photos: the pretrained backbone with a
// new head, two epochs on CPU; the training loss must fall.
#include <cstdlib>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/learn/train_loop.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

// Up to `per_class` photos per class from ../shared/data/dev, centre-cropped to 112.
ImageSet dev_sample(int per_class) {
  ImageSet s;
  std::vector<cv::Mat> crops;
  const char* folders[] = {"0_0_0", "1_1_0", "1_0_1", "1_1_1"};
  for (int c = 0; c < 4; ++c) {
    int n = 0;
    for (const auto& f : list_images(test::shared_dir() / "data" / "dev" / folders[c])) {
      if (n == per_class) break;
      cv::Mat im = cv::imread(f.string());
      if (im.empty()) continue;
      const int side = std::min(im.cols, im.rows);
      cv::resize(im(cv::Rect((im.cols - side) / 2, (im.rows - side) / 2, side, side)), im, {112, 112}, 0, 0, cv::INTER_AREA);
      crops.push_back(im);
      s.labels.push_back(c);
      s.sources.push_back(f.filename().string());
      s.paths.push_back(f.string());
      ++n;
    }
  }
  s.images = to_rgb_batch(crops);
  return s;
}

TEST(TrainLoop, TinyFineTuneLossFalls) {
  if (!fs::is_directory(test::shared_dir() / "data" / "dev"))
    GTEST_SKIP() << "../shared/data/dev is absent: no real photos to fine-tune on";
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  const ImageSet data = dev_sample(12);
  ASSERT_EQ(data.size(), 48);
  const char* seed_env = std::getenv("FACEOCC_TEST_SEED");
  const uint64_t seed = seed_env ? std::stoull(seed_env) : 1;
  torch::manual_seed(seed);  // the new head's initialisation
  OcclusionNet net(FeatureTap::GDConv, 4);
  net->backbone = net->replace_module("backbone", import_tfjs(default_weights_json()));
  TrainOptions o;
  o.seed = seed;
  o.epochs = 4;
  o.batch = 16;
  o.freeze_epochs = 0;
  o.lr = 1e-3;
  o.warmup_epochs = 0;
  o.augment = false;
  o.mix = 0;
  std::vector<double> losses;
  std::vector<double> accs;
  train(net, data, ImageSet{}, data, o, [&](const EpochResult& r, OcclusionNet&, torch::optim::Optimizer&) {
    losses.push_back(r.train_loss);
    accs.push_back(r.val.accuracy);
  });
  ASSERT_EQ(losses.size(), 4u);
  EXPECT_LT(losses.back(), losses.front() * 0.8) << losses.front() << " -> " << losses.back();
  std::printf("tiny fine-tune: training loss %.3f -> %.3f, accuracy on its own photos %.2f\n", losses.front(),
              losses.back(), accs.back());
  EXPECT_GT(accs.back(), 0.5);  // the 48 training photos themselves
}

// --real-only-tail: the mix runs in the first epochs, the last share draws real photos only,
// at the same epoch size (the schedule does not move); synthetic only stays synthetic.
TEST(TrainLoop, RealOnlyEpochsEndTheRunOnRealPhotos) {
  if (!fs::is_directory(test::shared_dir() / "data" / "dev"))
    GTEST_SKIP() << "../shared/data/dev is absent: no real photos to train on";
  const ImageSet data = dev_sample(4);
  ASSERT_EQ(data.size(), 16);
  torch::manual_seed(1);
  OcclusionNet net(FeatureTap::GDConv, 4);  // random backbone: this is about the draw, not the learning
  TrainOptions o;
  o.epochs = 3;
  o.real_only_tail = 0.33;  // of 3 epochs: the last one
  o.mix = 0.5;
  o.epoch_size = 16;
  o.batch = 16;
  o.augment = false;
  std::vector<std::pair<int64_t, int64_t>> drawn;  // (real, synthetic) per epoch
  train(net, data, data, ImageSet{}, o, [&](const EpochResult& r, OcclusionNet&, torch::optim::Optimizer&) {
    drawn.push_back({r.real_samples, r.synthetic_samples});
  });
  ASSERT_EQ(drawn.size(), 3u);
  EXPECT_EQ(drawn[0], std::make_pair(int64_t(8), int64_t(8)));
  EXPECT_EQ(drawn[1], std::make_pair(int64_t(8), int64_t(8)));
  EXPECT_EQ(drawn[2], std::make_pair(int64_t(16), int64_t(0)));
  o.mix = 1;
  EXPECT_EQ(real_only_epochs(o), 0);
  o.mix = 0.3, o.epochs = 6;
  EXPECT_EQ(real_only_epochs(o), 2);
}

TEST(TrainLoop, AugmentationKeepsShapeAndChangesPixels) {
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({8, 3, 112, 112});
  const torch::Tensor y = augment_batch(x);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_GT((y - x).abs().mean().item<double>(), 0.01);
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
}

TEST(TrainLoop, AllFeatureTapsProduceLogits) {
  for (auto tap : {FeatureTap::GDConv, FeatureTap::Embedding, FeatureTap::Map7}) {
    OcclusionNet net(tap, 4);
    net->eval();
    torch::NoGradGuard g;
    EXPECT_EQ(net->forward(torch::randn({2, 3, 112, 112})).sizes(), (c10::IntArrayRef{2, 4})) << tap_name(tap);
  }
}

}  // namespace
}  // namespace faceocc
