// TF.js weight reading and name-by-name mapping onto MobileFaceNet: every
// malformed input must give an error that names the file and the tensor.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/model/tfjs_weights.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;
using test::have;

// Message of the std::runtime_error `f` throws ("" if none).
template <class Fn>
std::string error_of(Fn&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

class TfjsImport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(have(default_weights_json(), test::kRunSetup));
    dir_ = fs::temp_directory_path() / ("faceocc_tfjs_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ifstream in(default_weights_json());
    manifest_ = nlohmann::json::parse(in);
    fs::copy_file(default_weights_json().parent_path() / "mobilefacenet.bin", dir_ / "mobilefacenet.bin");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_manifest(const nlohmann::json& j) {
    const fs::path p = dir_ / "model.json";
    std::ofstream(p) << j.dump();
    return p;
  }
  void truncate_bin(size_t bytes_less) {
    const fs::path p = dir_ / "mobilefacenet.bin";
    fs::resize_file(p, fs::file_size(p) - bytes_less);
  }

  fs::path dir_;
  nlohmann::json manifest_;
};

TEST_F(TfjsImport, ReadsEveryTensorOfTheRealFile) {
  const auto t = read_tfjs_weights(write_manifest(manifest_));
  EXPECT_EQ(t.size(), manifest_["weightsManifest"][0]["weights"].size());
  EXPECT_EQ(t.at("MobileFaceNet/MobileFaceNet/Conv2d_0/Conv2D_weights").sizes(), (c10::IntArrayRef{3, 3, 3, 64}));
  EXPECT_EQ(t.at("embeddings/Sum/reduction_indices").scalar_type(), torch::kInt32);
}

TEST_F(TfjsImport, EveryNetworkTensorIsUsedAndShapesMatch) {
  MobileFaceNet net;
  EXPECT_NO_THROW(assign_tfjs_weights(net, read_tfjs_weights(write_manifest(manifest_)), "model.json"));
}

TEST_F(TfjsImport, TruncatedShardNamesFileAndTensor) {
  truncate_bin(100);
  const fs::path json = write_manifest(manifest_);
  const std::string err = error_of([&] { read_tfjs_weights(json); });
  EXPECT_NE(err.find(json.string()), std::string::npos) << err;
  EXPECT_NE(err.find("end inside tensor"), std::string::npos) << err;
}

TEST_F(TfjsImport, SurplusShardBytesAreAnError) {
  std::ofstream(dir_ / "mobilefacenet.bin", std::ios::app | std::ios::binary) << "xxxx";
  const std::string err = error_of([&] { read_tfjs_weights(write_manifest(manifest_)); });
  EXPECT_NE(err.find("more than the manifest declares"), std::string::npos) << err;
}

TEST_F(TfjsImport, MissingShardFileIsNamed) {
  fs::remove(dir_ / "mobilefacenet.bin");
  const std::string err = error_of([&] { read_tfjs_weights(write_manifest(manifest_)); });
  EXPECT_NE(err.find("mobilefacenet.bin: cannot open"), std::string::npos) << err;
}

TEST_F(TfjsImport, BadJsonAndNonManifestAreNamed) {
  const fs::path p = dir_ / "broken.json";
  std::ofstream(p) << "{ not json";
  EXPECT_NE(error_of([&] { read_tfjs_weights(p); }).find(p.string() + ": not valid JSON"), std::string::npos);
  const fs::path q = write_manifest(nlohmann::json{{"format", "graph-model"}});
  EXPECT_NE(error_of([&] { read_tfjs_weights(q); }).find("no weightsManifest"), std::string::npos);
}

TEST_F(TfjsImport, UnsupportedDtypeIsNamed) {
  manifest_["weightsManifest"][0]["weights"][0]["dtype"] = "float16";
  const std::string err = error_of([&] { read_tfjs_weights(write_manifest(manifest_)); });
  EXPECT_NE(err.find("unsupported dtype float16"), std::string::npos) << err;
}

TEST_F(TfjsImport, MissingTensorIsNamed) {
  auto t = read_tfjs_weights(write_manifest(manifest_));
  t.erase("MobileFaceNet/MobileFaceNet/Conv2d_4_InvResBlock_2/SeparableConv2d/depthwise_weights");
  MobileFaceNet net;
  const std::string err = error_of([&] { assign_tfjs_weights(net, t, "model.json"); });
  EXPECT_NE(err.find("missing tensor 'MobileFaceNet/MobileFaceNet/Conv2d_4_InvResBlock_2/SeparableConv2d/depthwise_weights'"),
            std::string::npos) << err;
}

TEST_F(TfjsImport, ExtraTensorIsNamed) {
  auto t = read_tfjs_weights(write_manifest(manifest_));
  t["MobileFaceNet/Extra/Conv2D_weights"] = torch::zeros({1, 1, 4, 4});
  MobileFaceNet net;
  const std::string err = error_of([&] { assign_tfjs_weights(net, t, "model.json"); });
  EXPECT_NE(err.find("unexpected tensor 'MobileFaceNet/Extra/Conv2D_weights'"), std::string::npos) << err;
}

TEST_F(TfjsImport, ShapeMismatchNamesTensorAndBothShapes) {
  auto t = read_tfjs_weights(write_manifest(manifest_));
  const std::string name = "MobileFaceNet/Logits/LinearConv1x1/Conv2D_weights";
  t[name] = t[name].reshape({1, 1, 192, 512});
  MobileFaceNet net;
  const std::string err = error_of([&] { assign_tfjs_weights(net, t, "model.json"); });
  EXPECT_NE(err.find("model.json: tensor '" + name + "' has shape [1, 1, 192, 512], the network expects [1, 1, 512, 192]"),
            std::string::npos) << err;
}

TEST_F(TfjsImport, LoadPretrainedCachesInLibTorchFormat) {
  fs::copy_file(default_weights_json(), dir_ / "mobilefacenet.json");
  std::string how1, how2;
  MobileFaceNet a = load_pretrained(dir_ / "mobilefacenet.json", &how1);
  MobileFaceNet b = load_pretrained(dir_ / "mobilefacenet.json", &how2);
  EXPECT_EQ(how1.rfind("imported", 0), 0u) << how1;
  EXPECT_EQ(how2.rfind("loaded", 0), 0u) << how2;
  torch::NoGradGuard g;
  const torch::Tensor x = torch::randn({1, 3, 112, 112});
  EXPECT_TRUE(torch::equal(a->forward(x), b->forward(x)));
}

}  // namespace
}  // namespace faceocc
