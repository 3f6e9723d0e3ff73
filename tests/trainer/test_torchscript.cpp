// The TorchScript export computes what the C++ network computes (every feature
// tap), and occpredict answers per photo with the documented exit codes.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/script.h>

#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/export/torchscript_export.hpp"
#include "test_helpers.hpp"

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

TEST(OccPredict, JudgesTheLargestFaceAndReportsEachWithAllFaces) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path run = fs::temp_directory_path() / ("faceocc_run2_" + std::to_string(::getpid()));
  fs::create_directories(run);
  OcclusionNet net(FeatureTap::Map7, 4);
  torch::save(net, (run / "best.pt").string());
  std::ofstream(run / "config.ini") << "tap = map7\n";
  // Two people: audrey at full size, cage at half size, side by side on grey.
  const cv::Mat a = cv::imread((test_photos_dir() / "audrey.jpg").string()), c = cv::imread((test_photos_dir() / "cage.jpg").string());
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(c.empty());
  cv::Mat small;
  cv::resize(c, small, {}, 0.5 * a.rows / c.rows, 0.5 * a.rows / c.rows, cv::INTER_AREA);
  cv::Mat two(a.rows, a.cols + small.cols + 40, CV_8UC3, cv::Scalar::all(128));
  small.copyTo(two(cv::Rect(0, (a.rows - small.rows) / 2, small.cols, small.rows)));
  a.copyTo(two(cv::Rect(small.cols + 40, 0, a.cols, a.rows)));
  const fs::path photo = run / "two.jpg";
  cv::imwrite(photo.string(), two);
  const std::string cmd = std::string(FACEOCC_OCCPREDICT) + " --jsonl --run " + run.string() + " " + photo.string();
  ASSERT_EQ(WEXITSTATUS(std::system((cmd + " > " + (run / "one.jsonl").string()).c_str())), 0);
  std::ifstream one(run / "one.jsonl");
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(one, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 1u);  // the largest face only...
  EXPECT_EQ(lines[0]["faces"], 2);  // ...saying how many there are
  EXPECT_GT(lines[0]["box"][0].get<int>(), small.cols);  // audrey's, the larger one
  ASSERT_EQ(WEXITSTATUS(std::system((cmd + " --all-faces > " + (run / "all.jsonl").string()).c_str())), 0);
  std::ifstream all(run / "all.jsonl");
  lines.clear();
  for (std::string l; std::getline(all, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["face"], 0);
  EXPECT_EQ(lines[1]["face"], 1);
  EXPECT_LT(lines[1]["box"][0].get<int>(), small.cols);  // cage's, second
  fs::remove_all(run);
}

TEST(Checkpoint, ChecksumCatchesFlippedBytesAndOldFilesStillLoad) {
  const fs::path d = fs::temp_directory_path() / ("faceocc_ckpt_" + std::to_string(::getpid()));
  fs::create_directories(d);
  torch::manual_seed(3);
  OcclusionNet net(FeatureTap::Map7, 4);
  save_checkpoint(net, d / "best.pt");
  OcclusionNet back(FeatureTap::Map7, 4);
  EXPECT_TRUE(load_checkpoint(back, d / "best.pt"));
  EXPECT_EQ(weights_checksum(back), weights_checksum(net));
  // Flip one bit in each of 20 places inside the weight data: every one is caught.
  std::ifstream in(d / "best.pt", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int caught = 0, tried = 0;
  for (size_t pos = bytes.size() / 10; pos < bytes.size() * 8 / 10; pos += bytes.size() / 30) {
    std::string b = bytes;
    b[pos] = char(b[pos] ^ 0x10);
    std::ofstream(d / "flipped.pt", std::ios::binary) << b;
    OcclusionNet m(FeatureTap::Map7, 4);
    ++tried;
    try {
      load_checkpoint(m, d / "flipped.pt");
    } catch (const std::runtime_error& e) {
      ++caught;
      EXPECT_NE(std::string(e.what()).find("flipped.pt"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(caught, tried);
  // Another head does not fit, by name; a file from before checksums loads unverified.
  OcclusionNet other(FeatureTap::GDConv, 4);
  try {
    load_checkpoint(other, d / "best.pt");
    ADD_FAILURE() << "a map7 checkpoint loaded into a gdconv head";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("holds a map7 head with 4 classes, not the gdconv head"), std::string::npos) << e.what();
  }
  // The checkpoint says what it holds.
  ASSERT_TRUE(checkpoint_model(d / "best.pt").has_value());
  EXPECT_EQ(checkpoint_model(d / "best.pt")->tap, FeatureTap::Map7);
  EXPECT_EQ(checkpoint_model(d / "best.pt")->classes, 4);
  torch::save(net, (d / "old.pt").string());
  EXPECT_FALSE(load_checkpoint(back, d / "old.pt"));
  EXPECT_FALSE(checkpoint_model(d / "old.pt").has_value());
  fs::remove_all(d);
}

// Runs a command and returns (exit code, stderr).
static std::pair<int, std::string> run_cmd(const std::string& cmd, const fs::path& err_file) {
  const int rc = std::system((cmd + " > /dev/null 2> " + err_file.string()).c_str());
  std::ifstream in(err_file);
  return {WEXITSTATUS(rc), std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

TEST(OccPredict, RefusesARunItCannotReadByName) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path root = fs::temp_directory_path() / ("faceocc_runs_" + std::to_string(::getpid()));
  const std::string photo = " " + (test_photos_dir() / "audrey.jpg").string();
  const std::string bin = std::string(FACEOCC_OCCPREDICT) + " --run ";
  // A checkpoint that says what it holds needs no config.ini ...
  fs::create_directories(root / "selfcontained");
  OcclusionNet held(FeatureTap::Map7, 4);
  save_checkpoint(held, root / "selfcontained" / "best.pt");
  auto [rc0, err0] = run_cmd(bin + (root / "selfcontained").string() + photo, root / "err0");
  EXPECT_EQ(rc0, 0) << err0;
  // ... and one that config.ini contradicts is refused, both files named.
  fs::create_directories(root / "disagree");
  std::ofstream(root / "disagree" / "config.ini") << "tap = gdconv\n";
  fs::copy_file(root / "selfcontained" / "best.pt", root / "disagree" / "best.pt");
  std::tie(rc0, err0) = run_cmd(bin + (root / "disagree").string() + photo, root / "err6");
  EXPECT_EQ(rc0, 1);
  EXPECT_NE(err0.find("disagree/config.ini says gdconv"), std::string::npos) << err0;
  EXPECT_NE(err0.find("holds a map7 head with 4 classes"), std::string::npos) << err0;
  // An older checkpoint (no record of its head) without config.ini: the head cannot be known.
  fs::create_directories(root / "noconfig");
  OcclusionNet net(FeatureTap::Map7, 4);
  torch::save(net, (root / "noconfig" / "best.pt").string());
  auto [rc, err] = run_cmd(bin + (root / "noconfig").string() + photo, root / "err1");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("config.ini"), std::string::npos) << err;
  // A truncated checkpoint: named, no raw stack trace.
  fs::create_directories(root / "truncated");
  std::ofstream(root / "truncated" / "config.ini") << "tap = map7\n";
  {
    std::ifstream in(root / "noconfig" / "best.pt", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(root / "truncated" / "best.pt", std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  }
  std::tie(rc, err) = run_cmd(bin + (root / "truncated").string() + photo, root / "err2");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("truncated/best.pt"), std::string::npos) << err;
  EXPECT_EQ(err.find("Exception raised from"), std::string::npos) << err;
  // A checkpoint with a flipped byte in its weights: named as damaged.
  fs::create_directories(root / "flipped");
  std::ofstream(root / "flipped" / "config.ini") << "tap = map7\n";
  save_checkpoint(net, root / "flipped" / "best.pt");
  {
    std::ifstream in(root / "flipped" / "best.pt", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x10);
    std::ofstream(root / "flipped" / "best.pt", std::ios::binary) << bytes;
  }
  std::tie(rc, err) = run_cmd(bin + (root / "flipped").string() + photo, root / "err5");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("flipped/best.pt: damaged"), std::string::npos) << err;
  // A --task binary run: refused for photos, exported as the 2-class model it is.
  fs::create_directories(root / "binary");
  std::ofstream(root / "binary" / "config.ini") << "tap = map7\ntask = binary\n";
  OcclusionNet bnet(FeatureTap::Map7, 2);
  torch::save(bnet, (root / "binary" / "best.pt").string());
  std::tie(rc, err) = run_cmd(bin + (root / "binary").string() + photo, root / "err3");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.find("--task binary"), std::string::npos) << err;
  std::tie(rc, err) = run_cmd(bin + (root / "binary").string() + " --export " + (root / "b.pt").string(), root / "err4");
  EXPECT_EQ(rc, 0) << err;
  torch::jit::Module m = torch::jit::load((root / "b.pt").string());
  EXPECT_EQ(m.forward({torch::zeros({1, 112, 112, 3}, torch::kUInt8)}).toTensor().size(1), 2);
  fs::remove_all(root);
}

}  // namespace
}  // namespace faceocc
