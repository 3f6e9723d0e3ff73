// The OpenCV-only capture check: occcheck links no LibTorch and no dlib, and
// answers as occpredict does (the same run, LibTorch and best.pt) on real
// development photos: same faces found, same class, probabilities within 2e-4
// (both print them rounded to 1e-4), and with the run's operating point (a
// temperature and a threshold, stored in model.onnx by the export) the same
// verdicts, some of them other than the most probable class. A binary or
// missing model is refused by name; the embedding example runs.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/capture_check.hpp"
#include "faceocc/check/onnx_metadata.hpp"
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
  const std::string run_arg = " --run " + (d / "run").string(), model_arg = " --model " + (d / "run" / "model.onnx").string(),
                    photos = " " + (d / "photos").string() + " 2>/dev/null";
  auto export_model = [&] {
    return WEXITSTATUS(std::system((bin + "occpredict" + run_arg + " --export " + (d / "run" / "model.onnx").string() + " > /dev/null").c_str()));
  };
  // Both tools on the 40 photos: the same faces, probabilities and verdicts. Returns occpredict's answers.
  auto agree = [&](const std::string& extra) {
    const auto lib = by_file(test::run_command(bin + "occpredict --jsonl --all-faces" + extra + run_arg + photos, false).output);
    const auto cv = by_file(test::run_command(check_bin + "occcheck --jsonl --all-faces" + extra + model_arg + photos, false).output);
    EXPECT_EQ(lib.size(), 40u) << extra;
    EXPECT_EQ(cv.size(), lib.size()) << extra;
    int judged = 0, same = 0;
    for (const auto& [file, a] : lib) {
      if (!cv.count(file)) continue;
      const auto& b = cv.at(file);
      EXPECT_EQ(a.contains("error"), b.contains("error")) << file;
      if (a.contains("error")) continue;
      EXPECT_EQ(a["faces"], b["faces"]) << file;
      EXPECT_EQ(a["box"], b["box"]) << file;
      EXPECT_EQ(a["threshold"], b["threshold"]) << file;
      ++judged;
      same += a["class"] == b["class"];
      for (const auto& c : class_table())
        EXPECT_NEAR(a["probabilities"][c.name].get<double>(), b["probabilities"][c.name].get<double>(), 2e-4) << file;
    }
    EXPECT_GE(judged, 30) << "faces found on too few of the 40 photos";
    EXPECT_EQ(same, judged) << extra;
    return lib;
  };
  ASSERT_EQ(export_model(), 0);
  const auto lib = agree("");
  for (const auto& [file, a] : lib) EXPECT_TRUE(!a.contains("threshold") || a["threshold"].is_null()) << "no operating point stored: " << file;

  // The run's operating point: a temperature (folded into both models) and a threshold in the
  // widest gap between the middle scores, so no face sits within rounding of it.
  std::ofstream(d / "run" / "calibration_val.json") << R"({"temperature": 1.6})";
  ASSERT_EQ(export_model(), 0);
  const auto argmax = agree(" --operating-point argmax");
  std::vector<double> scores;
  for (const auto& [file, a] : argmax)
    if (!a.contains("error")) scores.push_back(a["covered"].get<double>());
  std::sort(scores.begin(), scores.end());
  size_t gap = scores.size() / 4;
  for (size_t i = scores.size() / 4; i + 1 < 3 * scores.size() / 4; ++i)
    if (scores[i + 1] - scores[i] > scores[gap + 1] - scores[gap]) gap = i;
  ASSERT_GT(scores[gap + 1] - scores[gap], 2e-3) << "no clear gap between the covered scores";
  size_t upper = gap + 1;  // a second threshold, for --operating-point 1%: the widest gap above the first
  for (size_t i = gap + 1; i + 1 < scores.size(); ++i)
    if (scores[i + 1] - scores[i] > scores[upper + 1] - scores[upper]) upper = i;
  ASSERT_LT(upper + 1, scores.size());
  CoveredThreshold t;
  t.threshold = (scores[gap] + scores[gap + 1]) / 2, t.false_reject = 0.02, t.clean_faces = 10, t.temperature = 1.6;
  const double second = (scores[upper] + scores[upper + 1]) / 2;
  t.by_rate = {{0.01, second}, {0.02, t.threshold}};
  {
    nlohmann::ordered_json op;
    for (const auto& [k, v] : threshold_metadata(t)) op["metadata"][k] = v;
    std::ofstream(d / "run" / "operating_point.json") << op.dump(1);
  }
  ASSERT_EQ(export_model(), 0);
  const auto meta = read_onnx_metadata(d / "run" / "model.onnx");
  EXPECT_EQ(meta.at("covered_threshold"), threshold_metadata(t).at("covered_threshold"));
  EXPECT_EQ(meta.at("temperature"), "1.6");
  const auto shipped = agree("");
  int changed = 0;
  for (const auto& [file, a] : shipped) {
    if (a.contains("error")) continue;
    EXPECT_NEAR(a["threshold"].get<double>(), t.threshold, 1e-8) << file;
    EXPECT_EQ(a["class"] != "0_0_0", a["covered"].get<double>() >= t.threshold) << file;
    changed += a["class"] != argmax.at(file)["class"];
  }
  EXPECT_GE(changed, 1) << "the threshold changed no verdict: the test would not tell it from argmax";
  std::cout << "[ info ] the operating point changed " << changed << " verdicts from the most probable class\n";
  for (const auto& [file, a] : agree(" --operating-point 1%"))
    if (!a.contains("error")) EXPECT_NEAR(a["threshold"].get<double>(), second, 1e-8) << file;
  agree(" --operating-point " + std::to_string(second));
  for (const std::string& tool : {bin + "occpredict" + run_arg, check_bin + "occcheck" + model_arg}) {
    const auto r = test::run_command(tool + " --operating-point 3%" + photos.substr(0, photos.size() - 12));
    EXPECT_EQ(r.code, 2) << tool << "\n" << r.output;
    EXPECT_NE(r.output.find("1%, 2%"), std::string::npos) << r.output;
  }
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
                                   " " + lib.begin()->first + " 2>&1").output;
  EXPECT_TRUE(ex.find("accepted") != std::string::npos || ex.find("rejected") != std::string::npos) << ex;
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
