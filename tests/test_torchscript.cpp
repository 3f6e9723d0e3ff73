// The TorchScript export computes what the C++ network computes (every feature
// tap), and occpredict answers per photo with the documented exit codes.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/script.h>

#include "faceocc/train/pretrained.hpp"
#include "faceocc/train/torchscript_export.hpp"
#include "test_data.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(TorchScriptExport, MatchesTheCppNetworkForEveryTap) {
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  torch::manual_seed(4);
  const torch::Tensor img = torch::randint(0, 256, {3, 112, 112, 3}, torch::kUInt8);
  for (auto tap : {FeatureTap::GDConv, FeatureTap::Embedding, FeatureTap::Map7}) {
    OcclusionNet net(tap, 4);
    net->backbone = net->replace_module("backbone", import_tfjs(default_weights_json()));
    net->eval();
    const fs::path file = fs::temp_directory_path() / ("faceocc_ts_" + std::to_string(::getpid()) + ".pt");
    export_torchscript(net, file);
    torch::jit::Module m = torch::jit::load(file.string());
    fs::remove(file);
    torch::NoGradGuard g;
    const torch::Tensor expected = torch::softmax(net->forward(preprocess_rgb_u8(img)), 1);
    const torch::Tensor got = m.forward({img}).toTensor();
    EXPECT_EQ(got.sizes(), expected.sizes()) << tap_name(tap);
    EXPECT_LE((got - expected).abs().max().item<double>(), 1e-5) << tap_name(tap);
  }
}

TEST(OccPredict, AnswersPerPhotoAndExitsNonZeroWithoutAFace) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path run = fs::temp_directory_path() / ("faceocc_run_" + std::to_string(::getpid()));
  fs::create_directories(run);
  OcclusionNet net(FeatureTap::Map7, 4);
  torch::save(net, (run / "best.pt").string());
  std::ofstream(run / "config.ini") << "tap = map7\n";
  const fs::path blank = run / "blank.png";
  std::ofstream(blank) << "not an image";
  const std::string cmd = std::string(FACEOCC_OCCPREDICT) + " --jsonl --run " + run.string() + " " +
                          (test_photos_dir() / "audrey.jpg").string();
  const fs::path out = run / "out.jsonl";
  EXPECT_EQ(WEXITSTATUS(std::system((cmd + " > " + out.string()).c_str())), 0);
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  ASSERT_TRUE(j.contains("class")) << j.dump();
  double sum = 0;
  for (const auto& [k, v] : j["probabilities"].items()) sum += v.get<double>();
  EXPECT_NEAR(sum, 1.0, 1e-3);
  EXPECT_FALSE(j["message"].get<std::string>().empty());
  EXPECT_EQ(WEXITSTATUS(std::system((cmd + " " + blank.string() + " > /dev/null").c_str())), 4);
  EXPECT_EQ(WEXITSTATUS(std::system((std::string(FACEOCC_OCCPREDICT) + " --run /nonexistent x.jpg 2>/dev/null").c_str())), 2);
  fs::remove_all(run);
}

}  // namespace
}  // namespace faceocc
