// Hostile but fair inputs, built here (no binaries committed): occluder
// metadata with non-finite, absurd or degenerate numbers is rejected by name
// (it used to hang the affine solver), a full disk never renames a short file
// into place, a looping link among the photos does not end the batch, and a
// truncated photo or an unknown class name is named and left out.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/occluder.hpp"
#include "faceocc/image_check.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/model/torch_archive_check.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("faceocc_hostile_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(HostileOccluders, BadNumbersAreRejectedByNameTheRestLoad) {
  const fs::path src = FACEOCC_SOURCE_DIR "/assets/occluders";
  const fs::path d = temp_dir("occluders");
  std::ifstream in(src / "sunglasses_00.json");
  const nlohmann::json good = nlohmann::json::parse(in);
  // Each case: a copy of a good asset with one thing broken, and a word its reason must contain.
  std::vector<std::tuple<std::string, std::function<void(nlohmann::json&)>, std::string>> cases = {
      {"huge_at", [](nlohmann::json& j) { j["anchors"][0]["at"] = {1e39, 100}; }, "outside"},  // inf as a float
      {"far_at", [](nlohmann::json& j) { j["anchors"][0]["at"] = {5000, 100}; }, "outside"},
      {"fraction_landmark", [](nlohmann::json& j) { j["anchors"][0]["landmark"] = 3.7; }, "integer"},
      {"equal_anchors", [](nlohmann::json& j) { for (auto& a : j["anchors"]) a["at"] = {10, 10}; }, "line"},
      {"huge_scale", [](nlohmann::json& j) { j["scale"] = {1, 1e30}; }, "scale"},
      {"huge_rotation", [](nlohmann::json& j) { j["rotation_deg"] = 1e30; }, "rotation_deg"},
      {"huge_shift", [](nlohmann::json& j) { j["shift"] = 1e30; }, "shift"},
      {"duplicate_id", [](nlohmann::json& j) { j["id"] = "sunglasses_00"; }, "duplicate"}};
  fs::copy_file(src / "sunglasses_00.png", d / "sunglasses_00.png");
  std::ofstream(d / "sunglasses_00.json") << good.dump();
  for (const auto& [name, edit, why] : cases) {
    nlohmann::json j = good;
    j["id"] = name;
    j["image"] = name + ".png";
    edit(j);
    fs::copy_file(src / "sunglasses_00.png", d / (name + ".png"));
    std::ofstream(d / ("z_" + name + ".json")) << j.dump();  // z_: after the good one, so it is the duplicate
  }
  fs::copy_file(src / "sunglasses_00.png", d / "orphan.png");  // no JSON beside it
  const OccluderLibrary lib = load_occluders(d);
  ASSERT_EQ(lib.assets.size(), 1u);
  EXPECT_EQ(lib.assets[0].id, "sunglasses_00");
  for (const auto& [name, edit, why] : cases) {
    bool found = false;
    for (const auto& [file, reason] : lib.rejected)
      if (file.find("z_" + name + ".json") != std::string::npos) {
        found = true;
        EXPECT_NE(reason.find(why), std::string::npos) << name << ": " << reason;
      }
    EXPECT_TRUE(found) << name << " was not rejected";
  }
  bool orphan = false;
  for (const auto& [file, reason] : lib.rejected) orphan |= file.find("orphan.png") != std::string::npos;
  EXPECT_TRUE(orphan) << "a PNG without its JSON is reported";
  fs::remove_all(d);
}

TEST(HostileDisk, AFullDiskNeverRenamesAShortFileIntoPlace) {
  const fs::path d = temp_dir("disk");
  const fs::path dst = d / "run.json";
  ASSERT_TRUE(write_file_atomic(dst, std::string("old contents")));
  // A child whose files may not grow past 100 bytes: the write fails as on a full disk.
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit lim{100, 100};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    const bool ok = write_file_atomic(dst, std::string(5000, 'x'));
    ::_exit(ok ? 1 : 0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "write_file_atomic reported success on a failed write";
  std::ifstream in(dst);
  const std::string now((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(now, "old contents");
  int left = 0;
  for (const auto& e : fs::directory_iterator(d)) left += e.path().filename() != "run.json";
  EXPECT_EQ(left, 0) << "a temporary file was left behind";
  fs::remove_all(d);
}

TEST(HostileDisk, OccgenOnAFullDiskExitsThreeAndNamesEveryFailedSample) {
  ASSERT_TRUE(test::have(default_faces_dir() / "sample2.jpg", test::kRunSetup));
  const fs::path d = temp_dir("occgen_disk");
  fs::create_directories(d / "faces");
  fs::copy_file(default_faces_dir() / "sample2.jpg", d / "faces" / "sample2.jpg");
  // Files may not grow past 4 KiB: most images fail as on a full disk, small files fit.
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // inherited through exec: writes fail with EFBIG instead of killing
    const rlimit lim{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    const std::string err = (d / "err.txt").string();
    std::freopen(err.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execl(FACEOCC_OCCGEN, FACEOCC_OCCGEN, "--faces", (d / "faces").c_str(), "--occluders", FACEOCC_SOURCE_DIR "/assets/occluders",
            "--count", "8", "--size", "160", "--threads", "1", "--no-masks", "--config", FACEOCC_SOURCE_DIR "/configs/occgen.ini",
            "--out", (d / "out").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  std::ifstream in(d / "err.txt");
  const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(WEXITSTATUS(status), 3) << err;
  int named = 0, whole = 0;
  for (size_t p = err.find(".jpg: cannot write"); p != std::string::npos; p = err.find(".jpg: cannot write", p + 1)) ++named;
  for (const auto& e : fs::recursive_directory_iterator(d / "out")) {
    if (!e.is_regular_file() || e.path().extension() != ".jpg") continue;
    std::ifstream f(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_EQ(truncated_image_problem(bytes), "") << e.path() << ": a short image was renamed into place";
    ++whole;
  }
  EXPECT_GT(named, 0) << err;
  EXPECT_EQ(named + whole, 8) << err;  // every sample is either whole on disk or named as failed
  fs::remove_all(d);
}

TEST(HostileFolders, ALoopingLinkDoesNotEndTheWalkAndALinkedFolderIsWalkedOnce) {
  const fs::path d = temp_dir("walk");
  fs::create_directories(d / "a");
  std::ofstream(d / "a" / "one.jpg") << "x";
  std::ofstream(d / "two.png") << "x";
  fs::create_symlink(d / "loop", d / "loop");      // a link to itself
  fs::create_directory_symlink(d, d / "a" / "up");  // a link back up (a folder already walked)
  fs::create_symlink(d / "nowhere.jpg", d / "dangling.jpg");
  const fs::path elsewhere = temp_dir("walk_elsewhere");
  fs::create_directories(elsewhere / "b");
  std::ofstream(elsewhere / "b" / "three.jpg") << "x";
  fs::create_directories(d / "set");
  fs::create_directory_symlink(elsewhere / "b", d / "set" / "b");  // a class folder linked in: walked
  FileProblems problems;
  std::vector<fs::path> files;
  ASSERT_NO_THROW(files = list_images(d, &problems));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0], d / "a" / "one.jpg");
  EXPECT_EQ(files[1], d / "set" / "b" / "three.jpg");
  EXPECT_EQ(files[2], d / "two.png");
  bool loop = false;
  for (const auto& [file, why] : problems) loop |= fs::path(file).filename() == "loop" && !why.empty();
  EXPECT_TRUE(loop) << "the looping link is reported";
  fs::remove_all(d);
  fs::remove_all(elsewhere);
}

TEST(HostilePhotos, TruncatedImagesAndUnknownClassesAreNamedNotUsed) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path d = temp_dir("photos");
  fs::create_directories(d / "set" / "0_0_0");
  std::ifstream in(test_photos_dir() / "audrey.jpg", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(d / "set" / "0_0_0" / "whole.jpg", std::ios::binary) << bytes;
  std::ofstream(d / "set" / "0_0_0" / "half.jpg", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_EQ(truncated_image_problem(bytes), "");
  EXPECT_NE(truncated_image_problem(bytes.substr(0, bytes.size() / 2)).find("truncated JPEG"), std::string::npos);
  std::ofstream(d / "list.csv") << "path,class\nset/0_0_0/whole.jpg,sideways\n";
  RealLoadOptions o;
  o.cache_dir = d / "cache";
  LoadReport r;
  const ImageSet s = load_real({d / "set", d / "list.csv"}, o, r);
  EXPECT_EQ(s.size(), 1);  // whole.jpg from the folder; the half photo and the bad CSV line are left out
  ASSERT_EQ(r.problems.size(), 2u);
  std::string all;
  for (const auto& [f, why] : r.problems) all += f + ": " + why + "\n";
  EXPECT_NE(all.find("half.jpg: truncated JPEG"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown class 'sideways'"), std::string::npos) << all;
  fs::remove_all(d);
}

// A checkpoint of 2 KB whose pickle claims a 2 GB string (found by fuzz_run_folder): LibTorch
// would allocate and zero-fill it before noticing; the archive check refuses it first, by name.
// A real checkpoint passes the same check and loads; a truncated one is refused by name.
TEST(HostileCheckpoints, ALengthBeyondTheRecordIsRefusedBeforeLibTorchAllocatesIt) {
  const fs::path dir = temp_dir("checkpoint");
  std::ifstream in(fs::path(FACEOCC_SOURCE_DIR) / "tests/fuzz/corpus/run_folder/unpickler_string_length_bomb", std::ios::binary);
  const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string brk = "\n--faceocc-part--\n";
  const size_t a = input.find(brk), b = input.find(brk, a + brk.size());
  ASSERT_NE(b, std::string::npos);
  const fs::path bomb = dir / "best.pt";
  std::ofstream(bomb, std::ios::binary) << input.substr(a + brk.size(), b - a - brk.size());
  try {
    check_torch_archive(bomb);
    FAIL() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(bomb.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("claims"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)checkpoint_model(bomb), std::runtime_error);

  torch::manual_seed(1);
  OcclusionNet net(FeatureTap::GDConv, 4);
  const fs::path good = dir / "good.pt";
  save_checkpoint(net, good);
  EXPECT_NO_THROW(check_torch_archive(good));
  OcclusionNet again(FeatureTap::GDConv, 4);
  EXPECT_TRUE(load_checkpoint(again, good));

  const fs::path cut = dir / "cut.pt";
  std::ifstream g(good, std::ios::binary);
  const std::string whole((std::istreambuf_iterator<char>(g)), std::istreambuf_iterator<char>());
  std::ofstream(cut, std::ios::binary) << whole.substr(0, whole.size() / 2);
  EXPECT_THROW(check_torch_archive(cut), std::runtime_error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faceocc
