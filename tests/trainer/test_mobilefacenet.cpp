// The imported network must reproduce the reference embeddings of the shipped
// weights, and must stop doing so if any of the traps (PReLU sign, TF "SAME"
// padding, RGB order) is got wrong.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

using test::have;
namespace fs = std::filesystem;
namespace F = torch::nn::functional;

struct Parity {
  std::vector<std::string> names;
  std::vector<cv::Mat> crops;  // BGR, as OpenCV reads them
  torch::Tensor expected;      // [N,192]
};

Parity read_parity() {
  Parity p;
  const fs::path dir = test::parity_dir();
  std::ifstream names(dir / "images.txt");
  for (std::string line; std::getline(names, line);)
    if (!line.empty()) p.names.push_back(line);
  std::ifstream csv(dir / "expected_embeddings.csv");
  std::vector<float> values;
  int rows = 0;
  for (std::string line; std::getline(csv, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) values.push_back(std::stof(cell));
    ++rows;
  }
  p.expected = torch::from_blob(values.data(), {rows, int64_t(values.size()) / rows}).clone();
  for (const auto& n : p.names) p.crops.push_back(cv::imread((dir / n).string(), cv::IMREAD_COLOR));
  return p;
}

class MobileFaceNetParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(have(default_weights_json(), test::kRunSetup));
    ASSERT_TRUE(have(test::parity_dir() / "expected_embeddings.csv", "../shared/testdata is needed"));
    parity_ = new Parity(read_parity());
    net_ = new MobileFaceNet(import_tfjs(default_weights_json()));
  }
  static void TearDownTestSuite() { delete parity_; delete net_; parity_ = nullptr; net_ = nullptr; }

  static torch::Tensor embed(MobileFaceNet& net, const torch::Tensor& rgb_u8,
                             torch::MemoryFormat fmt = torch::MemoryFormat::Contiguous) {
    torch::NoGradGuard g;
    return net->forward(preprocess_rgb_u8(rgb_u8, fmt)).contiguous();
  }
  static torch::Tensor cosine(const torch::Tensor& a, const torch::Tensor& b) {
    return F::cosine_similarity(a, b, F::CosineSimilarityFuncOptions().dim(1));
  }

  static Parity* parity_;
  static MobileFaceNet* net_;
};
Parity* MobileFaceNetParity::parity_ = nullptr;
MobileFaceNet* MobileFaceNetParity::net_ = nullptr;

TEST_F(MobileFaceNetParity, ReproducesReferenceEmbeddings) {
  ASSERT_EQ(parity_->names.size(), 4u);
  ASSERT_EQ(parity_->expected.sizes(), (c10::IntArrayRef{4, 192}));
  for (const auto& c : parity_->crops) ASSERT_FALSE(c.empty());
  const torch::Tensor got = embed(*net_, to_rgb_batch(parity_->crops));
  const double max_abs = (got - parity_->expected).abs().max().item<double>();
  EXPECT_LE(max_abs, 1e-3) << "largest deviation from expected_embeddings.csv";
  const torch::Tensor cos = cosine(got, parity_->expected);
  for (int i = 0; i < 4; ++i) EXPECT_GE(cos[i].item<double>(), 0.9999) << parity_->names[i];
  std::printf("parity: max |difference| %.2e, min cosine %.7f\n", max_abs, cos.min().item<double>());
}

TEST_F(MobileFaceNetParity, ChannelsLastGivesTheSameEmbeddings) {
  const torch::Tensor rgb = to_rgb_batch(parity_->crops);
  const torch::Tensor a = embed(*net_, rgb);
  const torch::Tensor b = embed(*net_, rgb, torch::MemoryFormat::ChannelsLast);
  EXPECT_LE((a - b).abs().max().item<double>(), 1e-3);
}

TEST_F(MobileFaceNetParity, SamePersonIsCloseOthersAreFar) {
  const torch::Tensor e = F::normalize(embed(*net_, to_rgb_batch(parity_->crops)), F::NormalizeFuncOptions().dim(1));
  auto idx = [&](const std::string& n) {
    return int64_t(std::find(parity_->names.begin(), parity_->names.end(), n) - parity_->names.begin());
  };
  const int64_t f1 = idx("franck_01829.png"), f2 = idx("franck_04117.png"), cage = idx("cage2_crop.png"),
                audrey = idx("audrey.png");
  ASSERT_LT(std::max({f1, f2, cage, audrey}), 4);
  auto cos = [&](int64_t i, int64_t j) { return e[i].dot(e[j]).item<double>(); };
  EXPECT_GT(cos(f1, f2), 0.6);
  for (auto [i, j] : {std::pair{f1, cage}, {f1, audrey}, {f2, cage}, {f2, audrey}, {cage, audrey}})
    EXPECT_LT(cos(i, j), 0.3) << parity_->names[i] << " vs " << parity_->names[j];
}

// Each known trap, deliberately sprung, must break parity: proof the test can fail.
TEST_F(MobileFaceNetParity, SwappedChannelOrderBreaksParity) {
  const torch::Tensor bgr = to_rgb_batch(parity_->crops).flip(3);
  const torch::Tensor cos = cosine(embed(*net_, bgr), parity_->expected);
  EXPECT_LT(cos.min().item<double>(), 0.9999);
  EXPECT_GT((embed(*net_, bgr) - parity_->expected).abs().max().item<double>(), 1e-3);
}

TEST_F(MobileFaceNetParity, WrongPReLUSignBreaksParity) {
  MobileFaceNet net = import_tfjs(default_weights_json());
  {
    torch::NoGradGuard g;
    for (ConvUnit& u : net->units())
      if (u->act) u->act->weight.neg_();
  }
  const torch::Tensor got = embed(net, to_rgb_batch(parity_->crops));
  EXPECT_LT(cosine(got, parity_->expected).min().item<double>(), 0.9999);
}

TEST_F(MobileFaceNetParity, SymmetricPaddingBreaksParity) {
  MobileFaceNet net = import_tfjs(default_weights_json());
  for (ConvUnit& u : net->units()) u->tf_same_padding = false;
  const torch::Tensor got = embed(net, to_rgb_batch(parity_->crops));
  EXPECT_LT(cosine(got, parity_->expected).min().item<double>(), 0.9999);
}

TEST_F(MobileFaceNetParity, SavedModelLoadsBackIdentically) {
  const fs::path file = fs::temp_directory_path() / ("faceocc_test_" + std::to_string(::getpid()) + ".pt");
  save_model(*net_, file);
  MobileFaceNet loaded = load_model(file);
  fs::remove(file);
  const torch::Tensor rgb = to_rgb_batch(parity_->crops);
  EXPECT_TRUE(torch::equal(embed(*net_, rgb), embed(loaded, rgb)));
}

TEST(MobileFaceNet, LoadingGarbageNamesTheFile) {
  const fs::path file = fs::temp_directory_path() / ("faceocc_garbage_" + std::to_string(::getpid()) + ".pt");
  std::ofstream(file) << "not a checkpoint";
  try {
    load_model(file);
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  fs::remove(file);
}

TEST(MobileFaceNet, ShapesOfTheThreeFeatureTaps) {
  MobileFaceNet net;
  net->eval();
  torch::NoGradGuard g;
  const MobileFaceNetFeatures f = net->features(torch::randn({2, 3, 112, 112}));
  EXPECT_EQ(f.map7.sizes(), (c10::IntArrayRef{2, 512, 7, 7}));
  EXPECT_EQ(f.gdconv.sizes(), (c10::IntArrayRef{2, 512}));
  EXPECT_EQ(f.embedding.sizes(), (c10::IntArrayRef{2, 192}));
}

}  // namespace
}  // namespace faceocc
