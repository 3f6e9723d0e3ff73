// occtrain end to end on a few real photos: K-fold CV writes per-fold runs and
// the mean +- std summary; bad arguments exit 2.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/gen/face_source.hpp"
#include "test_data.hpp"

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
                        "fold1/metrics.jsonl", "data.json", "config.ini"})
    EXPECT_TRUE(fs::exists(dir / "run" / f)) << f;
  fs::remove_all(dir);
}

TEST(OcctrainCli, ResumeContinuesFromTheLastFinishedEpoch) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent: no real photos to train on";
  const fs::path dir = fs::temp_directory_path() / ("faceocc_resume_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  test::write_dev_csv(dir / "list.csv", 6);
  const std::string base = std::string(FACEOCC_OCCTRAIN) + " --real " + (dir / "list.csv").string() +
                           " --epochs 2 --batch 16 --freeze-epochs 0 --cache " + (dir / "cache").string() + " --out " +
                           (dir / "run").string();
  ASSERT_EQ(WEXITSTATUS(std::system((base + " > /dev/null 2>&1").c_str())), 0);
  // Pretend the run died during epoch 2: only epoch 1 is recorded, plus a torn line.
  std::string first;
  std::getline(std::ifstream(dir / "run" / "metrics.jsonl"), first);
  std::ofstream(dir / "run" / "metrics.jsonl", std::ios::trunc) << first << "\n{\"epoch\":2,\"tra";
  fs::remove(dir / "run" / "final.json");
  ASSERT_EQ(WEXITSTATUS(std::system((base + " --resume > " + (dir / "log.txt").string() + " 2>&1").c_str())), 0);
  std::stringstream log;
  log << std::ifstream(dir / "log.txt").rdbuf();
  EXPECT_NE(log.str().find("resume: 1 epoch(s) done"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("epoch 2/2"), std::string::npos);
  EXPECT_EQ(log.str().find("epoch 1/2"), std::string::npos) << "epoch 1 was trained again";
  EXPECT_TRUE(fs::exists(dir / "run" / "final.json"));
  EXPECT_TRUE(fs::exists(dir / "run" / "optimizer.pt"));
  int lines = 0;
  std::ifstream metrics(dir / "run" / "metrics.jsonl");
  for (std::string l; std::getline(metrics, l);) {
    EXPECT_FALSE(nlohmann::json::parse(l, nullptr, false).is_discarded()) << l;
    ++lines;
  }
  EXPECT_EQ(lines, 2);
  // The finished run is protected: no silent append or overwrite, no resume with other settings.
  auto refused = [&](const std::string& args, const std::string& why) {
    const int rc = std::system((base + args + " > " + (dir / "err.txt").string() + " 2>&1").c_str());
    std::stringstream err;
    err << std::ifstream(dir / "err.txt").rdbuf();
    EXPECT_EQ(WEXITSTATUS(rc), 2) << args;
    EXPECT_NE(err.str().find(why), std::string::npos) << args << ": " << err.str();
  };
  refused("", "already holds a run");
  refused(" --resume --seed 2", "--seed is '2'");
  refused(" --resume --mix 0.5", "--mix is '0.5'");
  std::ifstream again(dir / "run" / "metrics.jsonl");
  lines = 0;
  for (std::string l; std::getline(again, l);) ++lines;
  EXPECT_EQ(lines, 2) << "a refused run wrote to the run folder";
  fs::remove_all(dir);
}

TEST(OcctrainCli, BadArgumentsExitWithTwo) {
  for (const char* a : {" --mix 1.5", " --loss hinge", " --tap nose", " --folds 0", " --alpha 1,2", " --device tpu",
                        " --threads -3", " --epochs 0", " --batch 0", " --epoch-size -1",
                        " --resume --out /nonexistent"}) {
    const int rc = std::system((std::string(FACEOCC_OCCTRAIN) + a + " --real /nonexistent >/dev/null 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(rc), 2) << a;
  }
}

}  // namespace
}  // namespace faceocc
