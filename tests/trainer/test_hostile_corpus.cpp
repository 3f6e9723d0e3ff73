// Every tool against a corpus of hostile but fair inputs, built here (no
// binaries committed), each run under a time limit: no hang, the documented
// exit code, the file or option named in the message, nothing lost. Also
// occgen killed (SIGKILL) at chosen write points and resumed gives the bytes
// of the uninterrupted run. The library-level cases are in test_hostile_inputs.cpp,
// occtrain's kill at every write point in test_occtrain_cli.cpp.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

std::string tool(const std::string& name) {
  for (const char* side : {"generator", "trainer", "check"})
    if (fs::exists(fs::path(FACEOCC_BUILD_DIR) / side / name)) return (fs::path(FACEOCC_BUILD_DIR) / side / name).string();
  return name;
}

// Relative path -> content hash of every file under `dir` (what "nothing lost" compares).
std::map<std::string, uint64_t> snapshot(const fs::path& dir) {
  std::map<std::string, uint64_t> s;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      const std::string b = test::read_file(e.path());
      s[fs::relative(e.path(), dir).string()] = fnv1a(b.data(), b.size());
    }
  return s;
}

struct Case {
  std::string name;
  std::string args;         // tool name first
  std::vector<int> codes;   // the documented exit codes for this input
  std::string named;        // what the message must name
  fs::path untouched;       // a folder the run must leave byte-identical ("" = none)
};

TEST(HostileCorpus, EveryToolAnswersEveryCaseInTimeByName) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path d = fs::temp_directory_path() / ("faceocc_corpus_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d / "photos");
  const std::string jpeg = test::read_file(test_photos_dir() / "audrey.jpg");
  std::ofstream(d / "photos" / "audrey.jpg", std::ios::binary) << jpeg;
  std::ofstream(d / "photos" / "half.jpg", std::ios::binary) << jpeg.substr(0, jpeg.size() / 2);
  std::ofstream(d / "photos" / "empty.jpg");
  std::ofstream(d / "photos" / "text.jpg") << "not an image";
  fs::create_symlink(d / "photos" / "loop", d / "photos" / "loop");
  // Occluders: the shipped library plus one asset whose anchor is 1e39 px away (it used to hang the solver).
  const fs::path shipped = fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders";
  fs::copy(shipped, d / "occ", fs::copy_options::recursive);
  nlohmann::json bad = nlohmann::json::parse(test::read_file(shipped / "sunglasses_00.json"));
  bad["id"] = "far_away", bad["image"] = "far_away.png", bad["anchors"][0]["at"] = {1e39, 100};
  fs::copy_file(shipped / "sunglasses_00.png", d / "occ" / "far_away.png");
  std::ofstream(d / "occ" / "far_away.json") << bad.dump();
  // Run folders: a finished-looking one, damaged and truncated checkpoints, a binary run.
  OcclusionNet net(FeatureTap::Map7, 4), binary(FeatureTap::Map7, 2);
  for (const char* r : {"run", "flipped", "truncated", "binary"}) fs::create_directories(d / r);
  save_checkpoint(net, d / "run" / "best.pt");
  std::ofstream(d / "run" / "metrics.jsonl") << "{\"epoch\":1}\n";
  std::ofstream(d / "run" / "config.ini") << "seed = 1\nmix = 0.3\n";
  std::string ck = test::read_file(d / "run" / "best.pt");
  std::string flipped = ck;
  flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x10);
  std::ofstream(d / "flipped" / "best.pt", std::ios::binary) << flipped;
  std::ofstream(d / "truncated" / "best.pt", std::ios::binary) << ck.substr(0, ck.size() / 3);
  save_checkpoint(binary, d / "binary" / "best.pt");
  std::ofstream(d / "not_a_model.pt") << "plain text";
  std::ofstream(d / "list.csv") << "path,class\n" << (d / "photos" / "audrey.jpg").string() << ",sideways\n";
  std::ofstream(d / "history.jsonl") << "{\"night\":\"2026-11-01\",\"challenger\":{\"accuracy\":0.9}}\ngarbage\n{\"night\":5,\"challenger\":{}}\n";
  fs::create_directories(d / "empty");

  const std::string photos = (d / "photos").string(), occ = " --occluders " + (d / "occ").string();
  const std::vector<Case> cases = {
      {"occgen: an occluder 1e39 px away", "occgen --faces " + photos + occ + " --count 4 --out " + (d / "gen").string(), {0, 3}, "far_away.json"},
      {"occgen: truncated, empty and text photos, a looping link", "occgen --faces " + photos + occ + " --count 2 --out " + (d / "gen2").string(), {0, 3}, "half.jpg"},
      {"occgen: --count beyond memory", "occgen --count 1000000000000 --out " + (d / "g3").string(), {2}, "--count"},
      {"occgen: --threads -3", "occgen --threads -3 --out " + (d / "g3").string(), {2}, "--threads"},
      {"occgen: --shard 0/2x", "occgen --shard 0/2x --out " + (d / "g3").string(), {2}, "--shard"},
      {"occgen: --aligned 7", "occgen --aligned 7 --out " + (d / "g3").string(), {2}, "--aligned"},
      {"occgen: --size 100000", "occgen --size 100000 --out " + (d / "g3").string(), {2}, "--size"},
      {"occgen: --count 2x", "occgen --count 2x --out " + (d / "g3").string(), {2}, "--count"},
      {"occtrain: a CSV with an unknown class", "occtrain --real " + (d / "list.csv").string() + " --out " + (d / "t1").string(), {1}, "sideways"},
      {"occtrain: into a folder holding a run", "occtrain --real " + photos + " --out " + (d / "run").string(), {2}, "already holds a run", d / "run"},
      {"occtrain: --resume with another seed", "occtrain --real " + photos + " --resume --seed 2 --out " + (d / "run").string(), {2}, "--resume", d / "run"},
      {"occtrain: --threads -3", "occtrain --real " + photos + " --threads -3", {2}, "--threads"},
      {"occtrain: --epochs 0", "occtrain --real " + photos + " --epochs 0", {2}, "--epochs"},
      {"occpredict: a checkpoint with a flipped byte", "occpredict --run " + (d / "flipped").string() + " " + photos, {1}, "flipped/best.pt: damaged"},
      {"occpredict: a truncated checkpoint", "occpredict --run " + (d / "truncated").string() + " " + photos, {1}, "truncated/best.pt"},
      {"occpredict: a binary run given photos", "occpredict --run " + (d / "binary").string() + " " + photos, {1}, "--task binary"},
      {"occpredict: unreadable photos among good ones", "occpredict --run " + (d / "run").string() + " " + photos, {4}, "empty.jpg"},
      {"occpredict: no run folder", "occpredict --run " + (d / "nowhere").string() + " " + photos, {2}, "nowhere/best.pt"},
      {"occeval: a model that is not there", "occeval --model " + (d / "nope.pt").string() + " --real " + photos, {1}, "nope.pt"},
      {"occeval: a text file as a model", "occeval --model " + (d / "not_a_model.pt").string() + " --real " + photos, {1}, "not a TorchScript model"},
      {"occeval: --alpha 1.5", "occeval --model a --model b --real x --compare --alpha 1.5", {2}, "--alpha"},
      {"occreport: history lines that are not nights", "occreport history --history " + (d / "history.jsonl").string() + " --report-dir " + (d / "rep").string(), {0}, "history.jsonl:3"},
      {"occreport: no finished runs", "occreport mixes --cells " + (d / "empty").string() + " --out " + (d / "mix").string(), {1}, "empty"},
      {"occrealism: --per-group 5", "occrealism --real x --synthetic y --per-group 5", {2}, "--per-group"},
      {"occharvest: --threads -1", "occharvest --real " + photos + " --threads -1", {2}, "--threads"},
      {"occshortcut: not an occgen folder", "occshortcut " + (d / "empty").string(), {1}, "manifest.csv"},
      {"occassets: a config file that is not there", "occassets --config " + (d / "none.ini").string(), {2}, "none.ini"},
      {"occembed: a folder that is not there", "occembed --faces " + (d / "nowhere").string(), {1, 2}, "nowhere"},
  };
  for (const Case& c : cases) {
    const std::map<std::string, uint64_t> before = c.untouched.empty() ? std::map<std::string, uint64_t>{} : snapshot(c.untouched);
    const std::string bin = tool(c.args.substr(0, c.args.find(' ')));
    const std::string cmd = "timeout -k 5 120 " + bin + c.args.substr(c.args.find(' ')) + " > " + (d / "out.txt").string() + " 2>&1";
    const int rc = WEXITSTATUS(std::system(cmd.c_str()));
    const std::string out = test::read_file(d / "out.txt");
    ASSERT_NE(rc, 124) << c.name << ": still running after 120 s (a hang)";
    EXPECT_NE(std::find(c.codes.begin(), c.codes.end(), rc), c.codes.end()) << c.name << ": exit " << rc << "\n" << out;
    EXPECT_NE(out.find(c.named), std::string::npos) << c.name << ": does not name '" << c.named << "'\n" << out;
    EXPECT_EQ(out.find("Exception raised from"), std::string::npos) << c.name << ": a raw stack trace\n" << out;
    if (!c.untouched.empty()) EXPECT_EQ(snapshot(c.untouched), before) << c.name << ": changed " << c.untouched;
  }
  // The history file keeps the lines the report could not show.
  EXPECT_NE(test::read_file(d / "history.jsonl").find("garbage"), std::string::npos);
  fs::remove_all(d);
}

// occgen killed at chosen write points (SIGKILL via FACEOCC_KILL_AT_WRITE) and
// resumed writes exactly the files of the run that was never interrupted.
TEST(HostileCorpus, OccgenKilledAtWritePointsResumesToTheSameBytes) {
  ASSERT_TRUE(test::have(default_faces_dir(), test::kRunSetup));
  const fs::path d = fs::temp_directory_path() / ("faceocc_genkill_" + std::to_string(::getpid()));
  fs::remove_all(d);
  // Each run indexes its faces itself (OUT/landmarks), so kills land in the landmark cache writes too.
  const std::string base = tool("occgen") + " --count 12 --seed 4 --aligned 112 --threads 1 --occluders " +
                           (fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders").string() + " --out ";
  ASSERT_EQ(WEXITSTATUS(std::system((base + (d / "whole").string() + " > /dev/null 2>&1").c_str())), 0);
  auto samples = [](const fs::path& run) {  // run statistics (timings, cache hits, resumed counts): not compared
    auto s = snapshot(run);
    s.erase("run.json");
    s.erase("summary.json");
    return s;
  };
  const auto whole = samples(d / "whole");
  ASSERT_GT(whole.size(), 24u);
  int killed = 0;
  for (int k : {1, 2, 3, 7, 12, 20, 31, 45, 60, 80}) {
    const fs::path run = d / ("k" + std::to_string(k));
    const int rc = std::system(("FACEOCC_KILL_AT_WRITE=" + std::to_string(k) + " " + base + run.string() + " > /dev/null 2>&1").c_str());
    if (WEXITSTATUS(rc) == 0) continue;  // the run has fewer write points
    ++killed;
    ASSERT_EQ(WEXITSTATUS(rc), 128 + SIGKILL) << "write point " << k;
    ASSERT_EQ(WEXITSTATUS(std::system((base + run.string() + " --resume > " + (d / "log.txt").string() + " 2>&1").c_str())), 0)
        << "write point " << k << ": " << test::read_file(d / "log.txt");
    EXPECT_EQ(samples(run), whole) << "write point " << k;
  }
  EXPECT_GE(killed, 6);
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
