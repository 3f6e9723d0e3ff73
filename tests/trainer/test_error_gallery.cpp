// Seeing the mistakes: the error gallery puts the right photos in the right
// (true -> predicted) cells, most confident mistake first, and draws them; a
// run's --exclude list removes exactly the listed photos (and nothing moves
// side in the split); the --folds review list flags a real photo whose label
// was deliberately flipped (an uncovered face filed as "lower") and suggests
// "none"; every run draws classes.png.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/train/eval/error_gallery.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(ErrorGallery, RightPhotosInRightCellsMostConfidentFirst) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const std::string photo = (test_photos_dir() / "audrey.jpg").string();
  auto p = [&](const std::string& name, int t, int pr, std::vector<float> probs) {
    return ScoredPhoto{photo + "#" + name, t, pr, probs, cv::Mat(112, 112, CV_8UC3, cv::Scalar(40 * t, 60, 40 * pr))};
  };
  // Hand-made: three lower photos called both (confidence .6, .9, .7), one upper called none,
  // two right answers, and a second lower->both at .9 that ties and sorts by name.
  const std::vector<ScoredPhoto> photos = {
      p("a", 2, 3, {0.1f, 0.1f, 0.2f, 0.6f}), p("b", 2, 3, {0.0f, 0.0f, 0.1f, 0.9f}), p("c", 1, 0, {0.55f, 0.45f, 0, 0}),
      p("d", 0, 0, {0.9f, 0.1f, 0, 0}),       p("e", 2, 3, {0.1f, 0.0f, 0.2f, 0.7f}), p("f", 3, 3, {0, 0, 0, 1}),
      p("g", 2, 3, {0.0f, 0.0f, 0.1f, 0.9f})};
  const auto cells = plan_error_gallery(photos, 4, 3);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].truth, 1);  // (1 -> 0) comes before (2 -> 3)
  EXPECT_EQ(cells[0].predicted, 0);
  EXPECT_EQ(cells[0].shown, (std::vector<size_t>{2}));
  EXPECT_EQ(cells[1].truth, 2);
  EXPECT_EQ(cells[1].predicted, 3);
  EXPECT_EQ(cells[1].total, 4);
  EXPECT_EQ(cells[1].shown, (std::vector<size_t>{1, 6, 4}));  // .9 (b), .9 (g, after b by name), .7 (e); the cap drops a (.6)
  const fs::path d = fs::temp_directory_path() / ("faceocc_gallery_" + std::to_string(::getpid()));
  fs::create_directories(d);
  write_error_gallery(photos, {"none", "upper", "lower", "both"}, 3, "hand-made", d / "errors.png");
  const cv::Mat img = cv::imread((d / "errors.png").string());
  ASSERT_FALSE(img.empty());
  EXPECT_GT(img.rows, 2 * 140);  // two cells, one row of tiles each
  fs::remove_all(d);
}

std::set<std::string> csv_paths(const fs::path& f) {
  std::set<std::string> s;
  std::ifstream in(f);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) s.insert(line.substr(0, line.rfind(',')));
  return s;
}

std::string occtrain(const std::string& args, const fs::path& log) {
  const int rc = std::system((std::string(FACEOCC_OCCTRAIN) + args + " > " + log.string() + " 2>&1").c_str());
  std::stringstream s;
  s << std::ifstream(log).rdbuf();
  return WEXITSTATUS(rc) == 0 ? "" : "exit " + std::to_string(WEXITSTATUS(rc)) + ": " + s.str();
}

TEST(ErrorGallery, ExcludeRemovesExactlyTheListedPhotos) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent";
  const fs::path d = fs::temp_directory_path() / ("faceocc_exclude_" + std::to_string(::getpid()));
  fs::create_directories(d);
  test::write_dev_csv(d / "list.csv", 12);
  const std::string base = " --real " + (d / "list.csv").string() + " --split-only --val-split 0.3 --cache " + (d / "cache").string();
  ASSERT_EQ(occtrain(base + " --out " + (d / "all").string(), d / "log1"), "");
  const auto train = csv_paths(d / "all" / "train.csv"), val = csv_paths(d / "all" / "validation.csv");
  // Two training photos and one validation photo, one of them written as a relative path, plus one that is not there.
  std::ofstream(d / "exclude.txt") << "# leave out\n" << *train.begin() << "\n" << fs::relative(*train.rbegin()).string() << "\n"
                                   << *val.begin() << "\n/no/such/photo.jpg\n";
  ASSERT_EQ(occtrain(base + " --exclude " + (d / "exclude.txt").string() + " --out " + (d / "some").string(), d / "log2"), "");
  std::set<std::string> want_train = train, want_val = val;
  want_train.erase(*train.begin()), want_train.erase(*train.rbegin()), want_val.erase(*val.begin());
  EXPECT_EQ(csv_paths(d / "some" / "train.csv"), want_train);
  EXPECT_EQ(csv_paths(d / "some" / "validation.csv"), want_val);
  const auto data = nlohmann::json::parse(std::ifstream(d / "some" / "data.json"));
  EXPECT_EQ(data["excluded"]["removed_train"], 2);
  EXPECT_EQ(data["excluded"]["removed_validation"], 1);
  EXPECT_EQ(data["excluded"]["not_found"], 1);
  EXPECT_TRUE(fs::exists(d / "some" / "classes.png"));
  fs::remove_all(d);
}

TEST(ErrorGallery, ReviewListFlagsADeliberatelyFlippedLabel) {
  const fs::path dev = test::shared_dir() / "data" / "dev";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "../shared/data/dev is absent";
  const fs::path d = fs::temp_directory_path() / ("faceocc_review_" + std::to_string(::getpid()));
  fs::create_directories(d);
  test::write_dev_csv(d / "list.csv", 40);
  // File one uncovered face under "mouth/chin covered" (label noise of the kind the data README describes).
  std::ifstream in(d / "list.csv");
  std::string csv, line, flipped;
  while (std::getline(in, line)) {
    if (flipped.empty() && line.size() > 6 && line.substr(line.size() - 6) == ",0_0_0") {
      flipped = line.substr(0, line.size() - 6);
      line = flipped + ",1_0_1";
    }
    csv += line + "\n";
  }
  in.close();
  std::ofstream(d / "list.csv") << csv;
  ASSERT_FALSE(flipped.empty());
  ASSERT_EQ(occtrain(" --real " + (d / "list.csv").string() + " --folds 2 --epochs 2 --epoch-size 256 --batch 32 --mix 0 --gallery 4 --cache " +
                         (d / "cache").string() + " --out " + (d / "run").string(),
                     d / "log"),
            "");
  std::ifstream review(d / "run" / "review.csv");
  std::string header, row, all;
  std::getline(review, header);
  bool found = false;
  while (std::getline(review, row)) {
    all += row + "\n";
    if (row.rfind(fs::absolute(flipped).lexically_normal().string() + ",1_0_1,0_0_0,", 0) == 0) found = true;  // given, suggested
  }
  EXPECT_TRUE(found) << flipped << " is not in the review list:\n" << all;
  EXPECT_TRUE(fs::exists(d / "run" / "review.png"));
  EXPECT_TRUE(fs::exists(d / "run" / "fold1" / "errors_val.png"));
  std::cout << "[ info ] review list: " << std::count(all.begin(), all.end(), '\n') << " of 160 photos flagged\n";
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
