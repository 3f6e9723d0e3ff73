// Real data in: the seed's layout and CSV lists, the centre-crop fallback
// counted per class, the aligned-crop cache, splits that never share a
// source photo, and the pool's record of its faces.
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/train/data/datasets.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(Splits, NeverShareASourcePhoto) {
  std::vector<std::string> sources;
  for (int i = 0; i < 500; ++i) sources.push_back("photo" + std::to_string(i % 137));  // duplicates across the set
  const auto [train, val] = group_split(sources, 0.2, 3);
  EXPECT_EQ(train.size() + val.size(), 500u);
  std::set<std::string> tr, va;
  for (auto i : train) tr.insert(sources[size_t(i)]);
  for (auto i : val) va.insert(sources[size_t(i)]);
  for (const auto& s : va) EXPECT_FALSE(tr.count(s)) << s;
  EXPECT_NEAR(double(val.size()) / 500.0, 0.2, 0.03);
  const auto folds = group_folds(sources, 5, 3);
  std::set<int64_t> all;
  for (size_t k = 0; k < folds.size(); ++k) {
    std::set<std::string> mine;
    for (auto i : folds[k]) { mine.insert(sources[size_t(i)]); EXPECT_TRUE(all.insert(i).second); }
    for (size_t j = 0; j < folds.size(); ++j)
      if (j != k)
        for (auto i : folds[j]) EXPECT_FALSE(mine.count(sources[size_t(i)]));
  }
  EXPECT_EQ(all.size(), 500u);
}

TEST(Datasets, SeedLayoutCsvFallbackAndCache) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path root = fs::temp_directory_path() / ("faceocc_ds_" + std::to_string(::getpid()));
  fs::create_directories(root / "set" / "0_0_0");
  fs::create_directories(root / "set" / "1_0_1");
  fs::copy_file(test_photos_dir() / "audrey.jpg", root / "set" / "0_0_0" / "a.jpg");
  fs::copy_file(test_photos_dir() / "audrey.jpg", root / "set" / "1_0_1" / "same_bytes.jpg");  // same photo twice
  cv::imwrite((root / "set" / "1_0_1" / "noface.png").string(), cv::Mat(90, 160, CV_8UC3, cv::Scalar(30, 60, 90)));
  std::ofstream(root / "set" / "1_0_1" / "broken.jpg") << "nope";
  std::ofstream(root / "list.csv") << "path,class\nset/0_0_0/a.jpg,1_1_0\nset/1_0_1/noface.png,both\nbad line\n";
  RealLoadOptions o;
  o.cache_dir = root / "cache";
  LoadReport r;
  const ImageSet s = load_real({root / "set", root / "list.csv"}, o, r);
  EXPECT_EQ(s.size(), 5);
  EXPECT_EQ(r.images[0], 1);
  EXPECT_EQ(r.images[1], 1);
  EXPECT_EQ(r.images[2], 2);
  EXPECT_EQ(r.images[3], 1);
  EXPECT_EQ(r.fallback[2], 1);  // the blank image: centre crop, counted for its class
  EXPECT_EQ(r.fallback[3], 1);
  EXPECT_EQ(r.fallback[0], 0);
  ASSERT_EQ(r.problems.size(), 2u);  // broken.jpg and the bad CSV line, each named
  EXPECT_EQ(s.images.sizes(), (c10::IntArrayRef{5, 112, 112, 3}));
  EXPECT_EQ(s.sources[0], s.sources[2]);  // a.jpg and same_bytes.jpg: identical bytes -> one source photo
  EXPECT_NE(s.sources[0], s.sources[1]);
  LoadReport again;
  const ImageSet s2 = load_real({root / "set"}, o, again);
  EXPECT_EQ(again.cache_hits, 3);
  EXPECT_TRUE(torch::equal(s2.images, s.images.slice(0, 0, 3)));
  fs::remove_all(root);
}

// The pool's record of its faces feeds the check that no validation photo fed the pool:
// read when present, skipped when absent, and a damaged one stops the run by name
// (read as "no faces" it would pass the check on nothing).
TEST(Datasets, PoolFaceRecordIsReadOrRefusedByName) {
  const fs::path root = fs::temp_directory_path() / ("faceocc_pool_" + std::to_string(::getpid()));
  fs::create_directories(root / "good");
  fs::create_directories(root / "bare");
  fs::create_directories(root / "damaged");
  std::ofstream(root / "good" / "summary.json") << R"({"source_photo_keys": ["k1", "k2"], "count": 2})";
  std::ofstream(root / "damaged" / "summary.json") << R"({"source_photo_keys": ["k1")";
  EXPECT_EQ(synthetic_face_sources({root / "good", root / "bare"}), (std::set<std::string>{"k1", "k2"}));
  try {
    synthetic_face_sources({root / "good", root / "damaged"});
    ADD_FAILURE() << "a damaged summary.json was read as a pool without faces";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((root / "damaged" / "summary.json").string() + ": not valid JSON"), std::string::npos) << e.what();
  }
  std::ofstream(root / "damaged" / "summary.json", std::ios::trunc) << "[1, 2]";
  EXPECT_THROW(synthetic_face_sources({root / "damaged"}), std::runtime_error);  // valid JSON, not a record
  fs::remove_all(root);
}

}  // namespace
}  // namespace faceocc
