// occtrain end to end on a few real photos: K-fold CV writes per-fold runs and
// the mean +- std summary; a kill at any write point resumes into the
// uninterrupted run; bad arguments exit 2.
#include <csignal>
#include <fstream>
#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/check/onnx_metadata.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(OcctrainCli, TwoFoldCrossValidationOnRealPhotos) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent: no real photos to train on";
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  const fs::path dir = fs::temp_directory_path() / ("faceocc_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  test::write_dev_csv(dir / "list.csv", 8);
  const std::string cmd = std::string(FACEOCC_OCCTRAIN) + " --real " + (dir / "list.csv").string() +
                          " --folds 2 --epochs 1 --batch 16 --freeze-epochs 0 --cache " + (dir / "cache").string() +
                          " --out " + (dir / "run").string() + " > " + (dir / "log.txt").string() + " 2>&1";
  ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0) << std::ifstream(dir / "log.txt").rdbuf();
  std::ifstream in(dir / "run" / "folds.json");
  const auto j = nlohmann::json::parse(in);
  for (const char* k : {"accuracy", "macro_f1", "recall_1_1_0"}) {
    ASSERT_TRUE(j.contains(k)) << j.dump();
    EXPECT_GE(j[k]["mean"].get<double>(), 0.0);
    EXPECT_GE(j[k]["std"].get<double>(), 0.0);
  }
  for (const char* f : {"fold1/final.json", "fold2/final.json", "fold1/confusion_val.png", "fold2/model.torchscript.pt",
                        "fold1/metrics.jsonl", "data.json", "config.ini", "fold1/calibration_val.json", "fold2/reliability_val.png",
                        "fold1/operating_point.json", "fold2/thresholds_val.md"})
    EXPECT_TRUE(fs::exists(dir / "run" / f)) << f;
  // The shipped operating point: the same in the run folder, model.onnx and what occpredict reads.
  for (const char* fold : {"fold1", "fold2"}) {
    std::ifstream opf(dir / "run" / fold / "operating_point.json");
    const auto op = nlohmann::json::parse(opf);
    const auto meta = read_onnx_metadata(dir / "run" / fold / "model.onnx");
    for (const auto& [k, v] : op["metadata"].items()) EXPECT_EQ(meta.at(k), v.get<std::string>()) << fold << " " << k;
    EXPECT_EQ(op["metadata"]["covered_threshold_false_reject"], "0.02");
    const auto stored = RunDir(dir / "run" / fold).operating_point();
    ASSERT_TRUE(stored);
    EXPECT_NEAR(stored->threshold, op["threshold"].get<double>(), 1e-8);
    EXPECT_NEAR(stored->temperature, RunDir(dir / "run" / fold).temperature(), 1e-8);
    EXPECT_GE(op["verdicts_changed_from_argmax"]["n"].get<long>(), 1);
  }
  fs::remove_all(dir);
}

// The run's results with the timings (which differ between any two runs) taken out.
std::string metrics_without_timings(const fs::path& run) {
  std::string out;
  std::ifstream in(run / "metrics.jsonl");
  for (std::string l; std::getline(in, l);) {
    auto j = nlohmann::json::parse(l);
    j.erase("seconds");
    j.erase("train_images_per_second");
    out += j.dump() + "\n";
  }
  return out;
}

// Every file and folder name under `run`, sorted (temporaries would show up here).
std::string listing(const fs::path& run) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(run)) names.push_back(fs::relative(e.path(), run).string());
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) s += n + "\n";
  return s;
}

// True when the checkpoints hold the same weights, bit for bit.
bool same_weights(const fs::path& a, const fs::path& b) {
  OcclusionNet na(FeatureTap::Map7, 4), nb(FeatureTap::Map7, 4);
  load_checkpoint(na, a);
  load_checkpoint(nb, b);
  const auto pa = na->named_parameters(), pb = nb->named_parameters();
  for (const auto& p : pa)
    if (!torch::equal(p.value(), pb[p.key()])) return false;
  return weights_checksum(na) == weights_checksum(nb);
}

// A kill (SIGKILL, no clean-up) at any write point of a run, then --resume,
// ends in exactly the run that was never interrupted: same final weights bit
// for bit, same metrics, same best-epoch choice, no temporary left behind.
TEST(OcctrainCli, ResumeAfterAKillAtEveryWritePointEndsInTheUninterruptedRun) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent: no real photos to train on";
  const fs::path dir = fs::temp_directory_path() / ("faceocc_kill_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  test::write_dev_csv(dir / "list.csv", 6);
  // Two epochs (the first with the backbone frozen), one thread: the run the kills must reproduce.
  const std::string base = std::string(FACEOCC_OCCTRAIN) + " --real " + (dir / "list.csv").string() +
                           " --epochs 2 --batch 8 --epoch-size 16 --freeze-epochs 1 --threads 1 --cache " +
                           (dir / "cache").string() + " --out ";
  const fs::path whole = dir / "whole";
  ASSERT_EQ(WEXITSTATUS(std::system((base + whole.string() + " > " + (dir / "log.txt").string() + " 2>&1").c_str())), 0)
      << test::read_file(dir / "log.txt");
  int points = 0;
  for (int k = 1; k < 400; ++k) {
    const fs::path run = dir / ("k" + std::to_string(k));
    const int rc = std::system(("FACEOCC_KILL_AT_WRITE=" + std::to_string(k) + " " + base + run.string() + " > /dev/null 2>&1").c_str());
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 0) break;  // k is past the run's last write point
    ++points;
    ASSERT_EQ(WEXITSTATUS(rc), 128 + SIGKILL) << "write point " << k << ": the run was not killed there";
    const int again = std::system((base + run.string() + " --resume > " + (dir / "log.txt").string() + " 2>&1").c_str());
    ASSERT_EQ(WEXITSTATUS(again), 0) << "resume after a kill at write point " << k << ":\n" << test::read_file(dir / "log.txt");
    EXPECT_TRUE(same_weights(whole / "last.pt", run / "last.pt")) << "write point " << k;
    EXPECT_TRUE(same_weights(whole / "best.pt", run / "best.pt")) << "write point " << k;
    EXPECT_EQ(metrics_without_timings(whole), metrics_without_timings(run)) << "write point " << k;
    EXPECT_EQ(test::read_file(whole / "best.json"), test::read_file(run / "best.json")) << "write point " << k;
    EXPECT_EQ(test::read_file(whole / "final.json"), test::read_file(run / "final.json")) << "write point " << k;
    EXPECT_EQ(listing(whole), listing(run)) << "write point " << k;
    fs::remove_all(run);
  }
  EXPECT_GE(points, 30) << "fewer write points than a two-epoch run has";
  std::cout << "[ info ] killed and resumed at each of " << points << " write points\n";

  // The finished run is protected: no silent overwrite, no resume with other settings.
  auto refused = [&](const std::string& args, const std::string& why) {
    const int rc = std::system((base + whole.string() + args + " > " + (dir / "err.txt").string() + " 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(rc), 2) << args;
    EXPECT_NE(test::read_file(dir / "err.txt").find(why), std::string::npos) << args << ": " << test::read_file(dir / "err.txt");
  };
  const std::string before = listing(whole), metrics = test::read_file(whole / "metrics.jsonl");
  refused("", "already holds a run");
  refused(" --resume --seed 2", "--seed is '2'");
  refused(" --resume --mix 0.5", "--mix is '0.5'");
  EXPECT_EQ(listing(whole), before) << "a refused run wrote to the run folder";
  EXPECT_EQ(test::read_file(whole / "metrics.jsonl"), metrics);
  fs::remove_all(dir);
}

// An option the user typed is never ignored: --mix 0.3 without synthetic data stops (exit 2)
// naming the folder and the command that makes the data; without --mix the default falls
// back to real photos only and says so in one line.
TEST(OcctrainCli, TypedMixWithoutSyntheticDataExitsTwoTheDefaultFallsBack) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent: no real photos to train on";
  const fs::path dir = fs::temp_directory_path() / ("faceocc_mix_" + std::to_string(::getpid()));
  fs::create_directories(dir / "empty_synthetic");
  test::write_dev_csv(dir / "list.csv", 6);
  const std::string base = std::string(FACEOCC_OCCTRAIN) + " --real " + (dir / "list.csv").string() +
                           " --epochs 1 --batch 8 --epoch-size 16 --cache " + (dir / "cache").string();
  for (const std::string& synthetic : {std::string(), " --synthetic " + (dir / "empty_synthetic").string()}) {
    const int rc = std::system((base + " --mix 0.3" + synthetic + " --out " + (dir / "typed").string() + " > " +
                                (dir / "log.txt").string() + " 2>&1").c_str());
    const std::string log = test::read_file(dir / "log.txt");
    EXPECT_EQ(WEXITSTATUS(rc), 2) << log;
    EXPECT_NE(log.find(synthetic.empty() ? "out/occgen" : (dir / "empty_synthetic").string()), std::string::npos) << log;
    EXPECT_NE(log.find("occgen --occluders assets/ --count 50000"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(dir / "typed" / "metrics.jsonl")) << "it trained anyway";
  }
  const int rc = std::system((base + " --out " + (dir / "default").string() + " > " + (dir / "log.txt").string() + " 2>&1").c_str());
  const std::string log = test::read_file(dir / "log.txt");
  ASSERT_EQ(WEXITSTATUS(rc), 0) << log;
  size_t lines = 0;
  for (size_t at = log.find("synthetic: none"); at != std::string::npos; at = log.find("synthetic: none", at + 1)) ++lines;
  EXPECT_EQ(lines, 1u) << log;
  EXPECT_NE(log.find("training on real photos only"), std::string::npos) << log;
  fs::remove_all(dir);
}

TEST(OcctrainCli, BadArgumentsExitWithTwo) {
  for (const char* a : {" --mix 1.5", " --loss hinge", " --tap nose", " --folds 0", " --alpha 1,2", " --device tpu",
                        " --threads -3", " --epochs 0", " --batch 0", " --epoch-size -1", " --real-only-tail 1", " --real-only-tail -0.1",
                        " --epochs 1 --real-only-tail 0.9",
                        " --resume --out /nonexistent", " --best newest", " --max-false-reject 0", " --max-false-reject 0.7"}) {
    const int rc = std::system((std::string(FACEOCC_OCCTRAIN) + a + " --real /nonexistent >/dev/null 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(rc), 2) << a;
  }
}

}  // namespace
}  // namespace faceocc
