// The OpenCV-only capture check: occcheck links no LibTorch and no dlib, and
// answers as occpredict does (the same run, LibTorch and best.pt) on real
// development photos: same faces found, same class, probabilities within 2e-4
// (both print them rounded to 1e-4). A binary or missing model is refused by
// name; the embedding example runs.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/capture_check.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

// file -> its JSON verdict line.
std::map<std::string, nlohmann::json> by_file(const std::string& jsonl) {
  std::map<std::string, nlohmann::json> m;
  std::istringstream in(jsonl);
  for (std::string l; std::getline(in, l);) {
    const auto j = nlohmann::json::parse(l);
    m[j["file"].get<std::string>()] = j;
  }
  return m;
}

TEST(CaptureCheck, LinksNeitherLibTorchNorDlib) {
  const std::string libs = test::run_command("ldd " FACEOCC_BUILD_DIR "/check/occcheck").output;
  ASSERT_NE(libs.find("libopencv_dnn"), std::string::npos) << libs;
  for (const char* banned : {"libtorch", "libc10", "libdlib"}) EXPECT_EQ(libs.find(banned), std::string::npos) << banned << "\n" << libs;
}

TEST(CaptureCheck, AnswersAsOccpredictOnRealPhotos) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent";
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  const fs::path d = fs::temp_directory_path() / ("faceocc_check_" + std::to_string(::getpid()));
  fs::create_directories(d / "run");
  fs::create_directories(d / "photos");
  // A run: the pretrained backbone and a head with spread-out probabilities.
  torch::manual_seed(5);
  OcclusionNet net(FeatureTap::Map7, 4);
  net->backbone = net->replace_module("backbone", load_pretrained(default_weights_json()));
  {
    torch::NoGradGuard ng;
    net->fc->weight.mul_(3);
  }
  save_checkpoint(net, d / "run" / "best.pt");
  // Ten photos of each class, an even pick of the sorted folders.
  for (const auto& c : class_table()) {
    const auto files = list_images(dev / c.folder);
    for (int k = 0; k < 10; ++k) fs::copy_file(files[size_t(k) * files.size() / 10], d / "photos" / (std::string(c.folder) + "_" + files[size_t(k) * files.size() / 10].filename().string()));
  }
  const std::string bin = FACEOCC_BUILD_DIR "/trainer/", check_bin = FACEOCC_BUILD_DIR "/check/";
  ASSERT_EQ(WEXITSTATUS(std::system((bin + "occpredict --run " + (d / "run").string() + " --export " + (d / "run" / "model.onnx").string() + " > /dev/null").c_str())), 0);
  const auto lib = by_file(test::run_command(bin + "occpredict --jsonl --all-faces --run " + (d / "run").string() + " " + (d / "photos").string() + " 2>/dev/null", false).output);
  const auto cv = by_file(test::run_command(check_bin + "occcheck --jsonl --all-faces --model " + (d / "run" / "model.onnx").string() + " " + (d / "photos").string() + " 2>/dev/null", false).output);
  ASSERT_EQ(lib.size(), 40u);
  ASSERT_EQ(cv.size(), lib.size());
  int judged = 0, same = 0;
  for (const auto& [file, a] : lib) {
    const auto& b = cv.at(file);
    EXPECT_EQ(a.contains("error"), b.contains("error")) << file;
    if (a.contains("error")) continue;
    EXPECT_EQ(a["faces"], b["faces"]) << file;
    EXPECT_EQ(a["box"], b["box"]) << file;
    ++judged;
    same += a["class"] == b["class"];
    for (const auto& c : class_table())
      EXPECT_NEAR(a["probabilities"][c.name].get<double>(), b["probabilities"][c.name].get<double>(), 2e-4) << file;
  }
  EXPECT_GE(judged, 30) << "faces found on too few of the 40 photos";
  EXPECT_EQ(same, judged);
  // The library refuses a model it cannot use, by name.
  OcclusionNet binary(FeatureTap::Map7, 2);
  fs::create_directories(d / "binary");
  save_checkpoint(binary, d / "binary" / "best.pt");
  ASSERT_EQ(WEXITSTATUS(std::system((bin + "occpredict --run " + (d / "binary").string() + " --export " + (d / "binary" / "model.onnx").string() + " > /dev/null").c_str())), 0);
  EXPECT_THROW(CaptureCheck(d / "binary" / "model.onnx", default_detector_dir()), std::runtime_error);
  try {
    CaptureCheck(d / "nope.onnx", default_detector_dir());
    ADD_FAILURE() << "a missing model loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.onnx"), std::string::npos) << e.what();
  }
  // The example an app developer reads runs on a real photo.
  const std::string ex = test::run_command(check_bin + "capture_check_ex " + (d / "run" / "model.onnx").string() + " " + default_detector_dir().string() +
                                   " " + (d / "photos" / lib.begin()->first).string() + " 2>&1").output;
  EXPECT_TRUE(ex.find("accepted") != std::string::npos || ex.find("rejected") != std::string::npos) << ex;
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
