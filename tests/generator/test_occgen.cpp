// Whole occgen runs on real photos: determinism across thread counts, shard
// union, resume after a kill, and bad inputs that must not stop a batch.
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/gen/generator_run.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

// Every output file's bytes, by relative path, except the ones that record
// timing or arrival order, and the landmark cache.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> t;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).generic_string();
    if (rel == "summary.json" || rel == "journal.csv" || rel == "run.json" || rel.rfind("landmarks/", 0) == 0) continue;
    t[rel] = test::read_file(e.path());
  }
  return t;
}

// "" when the trees are equal; otherwise the files that differ, one per line.
std::string tree_diff(const std::map<std::string, std::string>& got, const std::map<std::string, std::string>& want) {
  std::string d;
  for (const auto& [f, bytes] : want)
    if (!got.count(f)) d += f + " is missing\n";
    else if (got.at(f) != bytes) d += f + " differs\n";
  for (const auto& [f, bytes] : got)
    if (!want.count(f)) d += f + " is extra\n";
  return d;
}

std::vector<std::string> manifest_rows(const fs::path& dir) {
  std::vector<std::string> rows;
  std::ifstream in(dir / "manifest.csv");
  for (std::string l; std::getline(in, l);)
    if (l.rfind("id,", 0) != 0) rows.push_back(l);
  return rows;
}

class Occgen : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(test::have(default_faces_dir() / "sample2.jpg", test::kRunSetup));
    root_ = new fs::path(fs::temp_directory_path() / ("faceocc_occgen_" + std::to_string(::getpid())));
    fs::create_directories(*root_ / "faces");
    for (const char* f : {"sample2.jpg", "sample3.jpg"}) fs::copy_file(default_faces_dir() / f, *root_ / "faces" / f);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  GeneratorOptions options(const std::string& out, int64_t count = 48) {
    GeneratorOptions o;
    o.faces_dir = *root_ / "faces";
    o.occluders_dir = FACEOCC_SOURCE_DIR "/assets/occluders";
    o.out_dir = *root_ / out;
    o.landmark_cache = *root_ / "landmarks";  // shared: detect once for the whole suite
    o.shape_predictor = default_shape_predictor();
    o.count = count;
    o.seed = 7;
    o.size = 160;
    o.aligned = 112;
    return o;
  }
  static GeneratorReport run(const GeneratorOptions& o) {
    return run_generator(o, [](const std::string&) {});
  }
  static fs::path* root_;
};
fs::path* Occgen::root_ = nullptr;

TEST_F(Occgen, WritesBalancedClassesWithManifestAndSummary) {
  GeneratorOptions o = options("basic");
  const auto rep = run(o);
  EXPECT_EQ(rep.written, 48);
  for (int c = 0; c < kNumClasses; ++c) EXPECT_EQ(rep.per_class[c], 12) << class_folder(OccClass(c));
  const auto rows = manifest_rows(o.out_dir);
  ASSERT_EQ(rows.size(), 48u);
  for (const auto& r : rows) {  // image, mask and aligned crop exist for every row
    const std::string id = r.substr(0, 8), cls = r.substr(9, 5);
    EXPECT_TRUE(fs::exists(o.out_dir / cls / (id + ".jpg"))) << r;
    EXPECT_TRUE(fs::exists(o.out_dir / "masks" / (id + ".png"))) << r;
    EXPECT_TRUE(fs::exists(o.out_dir / "aligned112" / cls / (id + ".jpg"))) << r;
  }
  std::ifstream in(o.out_dir / "summary.json");
  const auto s = nlohmann::json::parse(in);
  EXPECT_EQ(s["images"], 48);
  EXPECT_EQ(s["per_class"]["1_1_0"], 12);
  EXPECT_GT(s["per_occluder_category"].size(), 2u);
}

TEST_F(Occgen, NoTwoCleanSamplesAreTheSameImage) {
  // 2 photos (4 faces), 96 clean samples: every one goes through its own jitter and camera.
  GeneratorOptions o = options("clean_only", 96);
  o.class_mix = parse_class_mix("0_0_0=1");
  o.aligned = 0;
  run(o);
  std::set<std::string> bytes;
  const auto rows = manifest_rows(o.out_dir);
  ASSERT_EQ(rows.size(), 96u);
  for (const auto& r : rows) bytes.insert(test::read_file(o.out_dir / "0_0_0" / (r.substr(0, 8) + ".jpg")));
  EXPECT_EQ(bytes.size(), 96u);
  std::ifstream in(o.out_dir / "summary.json");
  const auto s = nlohmann::json::parse(in);
  EXPECT_EQ(s["byte_identical_images"], 0);
  EXPECT_EQ(s["distinct_source_faces"], s["faces"]);  // every indexed face was used
  EXPECT_TRUE(s.contains("near_duplicate_images"));
  EXPECT_LT(s["near_duplicate_images"].get<int>(), 96);
}

TEST_F(Occgen, SameSeedSameBytesAtOneAndTwoThreads) {
  GeneratorOptions a = options("t1"), b = options("t2");
  a.threads = 1;
  b.threads = 2;
  run(a);
  run(b);
  const auto ta = tree(a.out_dir), tb = tree(b.out_dir);
  EXPECT_EQ(ta.size(), 48u * 3 + 1);
  EXPECT_TRUE(ta == tb) << "outputs differ between 1 and 2 threads";
  GeneratorOptions c = options("seed8");
  c.seed = 8;
  run(c);
  EXPECT_FALSE(tree(c.out_dir) == ta) << "another seed must give other images";
}

TEST_F(Occgen, ShardUnionEqualsFullRun) {
  GeneratorOptions full = options("full");
  run(full);
  std::map<std::string, std::string> uni;
  std::vector<std::string> rows;
  for (int k = 0; k < 3; ++k) {
    GeneratorOptions s = options("shard" + std::to_string(k));
    s.shard_index = k;
    s.shard_count = 3;
    run(s);
    for (auto& [rel, bytes] : tree(s.out_dir)) {
      if (rel == "manifest.csv") continue;
      EXPECT_TRUE(uni.emplace(rel, bytes).second) << rel << " produced by two shards";
    }
    for (auto& r : manifest_rows(s.out_dir)) rows.push_back(r);
  }
  auto t = tree(full.out_dir);
  t.erase("manifest.csv");
  EXPECT_EQ(tree_diff(uni, t), "");  // names the files that differ
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, manifest_rows(full.out_dir));
}

TEST_F(Occgen, ResumeAfterInterruptionEqualsUninterruptedRun) {
  GeneratorOptions ref = options("ref");
  run(ref);
  // A run that "died": half its images missing, the journal torn mid-line,
  // a stray temporary file left behind.
  GeneratorOptions o = options("killed");
  run(o);
  const auto rows = manifest_rows(o.out_dir);
  std::ofstream j(o.out_dir / "journal.csv", std::ios::trunc);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i % 2) {
      fs::remove(o.out_dir / rows[i].substr(9, 5) / (rows[i].substr(0, 8) + ".jpg"));
      continue;
    }
    j << rows[i] << "\n";
  }
  j << rows[1].substr(0, 20);  // torn last line
  j.close();
  fs::remove(o.out_dir / "manifest.csv");
  std::ofstream(o.out_dir / "1_1_0" / "00000003.jpg.tmp999") << "partial";
  o.resume = true;
  const auto rep = run(o);
  EXPECT_EQ(rep.resumed, 24);
  EXPECT_EQ(rep.written, 24);
  fs::remove(o.out_dir / "1_1_0" / "00000003.jpg.tmp999");
  EXPECT_EQ(tree_diff(tree(o.out_dir), tree(ref.out_dir)), "");
}

TEST_F(Occgen, KilledProcessResumesToTheSameResult) {
  GeneratorOptions ref = options("ref_kill", 400);
  ref.aligned = 0;
  run(ref);
  const fs::path out = *root_ / "kill";
  // An empty config: the reference run above uses the built-in defaults, and occgen would otherwise read
  // configs/occgen.ini when the test runs from the repository root (touch decoys and all).
  std::ofstream(*root_ / "empty.ini").flush();
  const std::string args = std::string(" --config ") + (*root_ / "empty.ini").string() + " --faces " + (*root_ / "faces").string() + " --occluders " +
                           FACEOCC_SOURCE_DIR "/assets/occluders --landmark-cache " + (*root_ / "landmarks").string() +
                           " --count 400 --seed 7 --size 160 --aligned 0 --real none --threads 2 --out " + out.string();
  // SIGKILL part-way; whatever it managed to write must be finished, not redone.
  const int killed = std::system(("timeout -s KILL 0.4 " FACEOCC_OCCGEN + args + " >/dev/null 2>&1").c_str());
  (void)killed;
  const int rc = std::system((FACEOCC_OCCGEN + args + " --resume >/dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 0);
  EXPECT_EQ(tree_diff(tree(out), tree(ref.out_dir)), "");
}

TEST_F(Occgen, ResumeWithOtherSettingsIsRefused) {
  GeneratorOptions o = options("mismatch", 8);
  run(o);
  o.resume = true;
  o.seed = 99;
  try {
    run(o);
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("settings differ"), std::string::npos) << e.what();
  }
  o.resume = false;
  o.seed = 7;
  EXPECT_THROW(run(o), std::runtime_error);  // existing run, no --resume: refuse rather than overwrite
}

TEST_F(Occgen, BadInputsAreCountedAndTheBatchGoesOn) {
  const fs::path faces = *root_ / "bad_faces";
  fs::create_directories(faces / "sub");
  fs::copy_file(default_faces_dir() / "sample2.jpg", faces / "sub" / "good.jpg");
  std::ofstream(faces / "corrupt.jpg") << "\xff\xd8\xff garbage, not a JPEG";
  std::ofstream(faces / "empty.png");
  cv::imwrite((faces / "blank.png").string(), cv::Mat(200, 200, CV_8UC3, cv::Scalar(90, 120, 150)));
  const fs::path occ = *root_ / "bad_occ";
  fs::create_directories(occ);
  for (const auto& e : fs::directory_iterator(FACEOCC_SOURCE_DIR "/assets/occluders")) fs::copy(e.path(), occ / e.path().filename());
  std::ofstream(occ / "zz_broken.json") << "{ oops";
  GeneratorOptions o = options("bad");
  o.faces_dir = faces;
  o.occluders_dir = occ;
  o.count = 16;
  fs::create_directories(o.out_dir / "1_0_1" / "00000000.jpg");  // a folder where an image must go: unwritable
  std::vector<std::string> log;
  const auto rep = run_generator(o, [&](const std::string& l) { log.push_back(l); });
  std::ifstream in(o.out_dir / "summary.json");
  const auto s = nlohmann::json::parse(in);
  std::set<std::string> skipped;
  for (const auto& x : s["skipped_inputs"]) skipped.insert(x["file"].get<std::string>() + ": " + x["reason"].get<std::string>());
  EXPECT_TRUE(skipped.count("corrupt.jpg: not a JPEG, PNG, WebP or BMP image (or its header is damaged)")) << s["skipped_inputs"].dump();
  EXPECT_TRUE(skipped.count("empty.png: empty file"));
  EXPECT_TRUE(skipped.count("blank.png: no face found"));
  ASSERT_EQ(s["rejected_occluders"].size(), 1u);
  EXPECT_NE(s["rejected_occluders"][0]["file"].get<std::string>().find("zz_broken.json"), std::string::npos);
  // Sample 0's target decides whether the blocked path was hit; either way every other sample was written.
  EXPECT_EQ(rep.written + rep.write_errors, 16);
  EXPECT_EQ(rep.unfilled, 0);
}

// A JPEG whose pixels are stored rotated with an EXIF orientation tag saying
// so: decoded upright, the face is found (HOG does not find sideways faces).
TEST_F(Occgen, ExifOrientationIsHonoured) {
  cv::Mat img = cv::imread((default_faces_dir() / "sample2.jpg").string());
  ASSERT_FALSE(img.empty());
  cv::Mat sideways;
  cv::rotate(img, sideways, cv::ROTATE_90_COUNTERCLOCKWISE);  // orientation 6 = rotate 90 CW to display
  std::vector<uchar> jpg;
  cv::imencode(".jpg", sideways, jpg);
  // APP1 "Exif": little-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
  const std::vector<uchar> app1 = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 0x2A, 0, 8, 0, 0, 0,
                                   1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};
  jpg.insert(jpg.begin() + 2, app1.begin(), app1.end());
  const fs::path faces = *root_ / "exif_faces";
  fs::create_directories(faces);
  std::ofstream(faces / "rotated.jpg", std::ios::binary).write(reinterpret_cast<const char*>(jpg.data()), std::streamsize(jpg.size()));
  FaceIndexOptions o;
  o.shape_predictor = default_shape_predictor();
  const FaceIndex idx = index_faces(faces, o);
  ASSERT_EQ(idx.skipped.size(), 0u) << idx.skipped[0].reason;
  EXPECT_GE(idx.faces.size(), 1u);
  // And the same pixels without the tag stay sideways: no face.
  std::vector<uchar> plain;
  cv::imencode(".jpg", sideways, plain);
  std::ofstream(faces / "rotated.jpg", std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(plain.data()), std::streamsize(plain.size()));
  EXPECT_EQ(index_faces(faces, o).faces.size(), 0u);
}

TEST_F(Occgen, NothingUsableIsFatal) {
  const fs::path faces = *root_ / "no_faces";
  fs::create_directories(faces);
  cv::imwrite((faces / "blank.png").string(), cv::Mat(100, 100, CV_8UC3, cv::Scalar(0)));
  GeneratorOptions o = options("nothing", 4);
  o.faces_dir = faces;
  EXPECT_THROW(run(o), std::runtime_error);
}

TEST_F(Occgen, ClassTargetsAreExactAndShardsPartition) {
  const auto t = class_targets(1003, parse_class_mix("0_0_0=2,1_1_0=1,1_0_1=1,1_1_1=0"), 5);
  std::array<int, 4> n{};
  for (auto c : t) ++n[c];
  EXPECT_EQ(n[0], 501);  // 501.5 and 2 x 250.75: the larger remainders get the spare two
  EXPECT_EQ(n[1], 251);
  EXPECT_EQ(n[2], 251);
  EXPECT_EQ(n[3], 0);
  EXPECT_EQ(t, class_targets(1003, parse_class_mix("none=2,upper=1,lower=1"), 5));
  int64_t covered = 0;
  for (int k = 0; k < 7; ++k) {
    const auto [b, e] = shard_range(1003, k, 7);
    EXPECT_EQ(b, covered);
    covered = e;
  }
  EXPECT_EQ(covered, 1003);
  EXPECT_THROW(parse_class_mix("1_0_0=1"), std::invalid_argument);
  EXPECT_THROW(parse_class_mix("none=0"), std::invalid_argument);
}

TEST(OccgenCli, BadArgumentsExitWithTwo) {
  for (const char* a : {" --shard 3/2", " --shard 0/2x", " --classes bogus=1", " --count 0", " --count 1000000000000",
                        " --threads -3", " --size 100000", " --aligned 7", " --aligned 100000", " --aligned-only",
                        " --nonsense", " --faces /nonexistent", " --config /nonexistent.ini", " --touch 1.5",
                        " --decoy -0.1", " --faces-from test", " --faces-from validation --real none",
                        " --faces-from validation --faces ."}) {
    const int rc = std::system((std::string(FACEOCC_OCCGEN) + a + " --out /tmp/faceocc_never >/dev/null 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(rc), 2) << a;
  }
}

}  // namespace
}  // namespace faceocc
