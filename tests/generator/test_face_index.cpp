// The clean-face index on real development photos: the faces dlib's HOG misses are found again
// with BlazeFace and fitted with dlib's landmarks; the faces HOG finds surely are left as they were.
#include <algorithm>
#include <map>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/gen/face_source.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

// The first n clean development photos by name.
std::vector<fs::path> clean_photos(size_t n) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(FACEOCC_SHARED_DIR "/data/dev/0_0_0")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  files.resize(std::min(n, files.size()));
  return files;
}

FaceIndexOptions hog_only() {
  FaceIndexOptions o;
  o.shape_predictor = default_shape_predictor();
  o.threads = 2;
  o.log = [](const std::string&) {};
  return o;
}

long count_reason(const FaceIndex& index, const std::string& reason) {
  return std::count_if(index.skipped.begin(), index.skipped.end(), [&](const SkippedInput& s) { return s.reason == reason; });
}

TEST(FaceIndex, BlazeFaceFindsCleanFacesHogMissesAndLeavesHogsOwn) {
  if (!fs::is_directory(FACEOCC_SHARED_DIR "/data/dev/0_0_0")) GTEST_SKIP() << "no development photos";
  ASSERT_TRUE(test::have(default_shape_predictor(), test::kRunSetup));
  const std::vector<fs::path> files = clean_photos(80);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.filename().string());
  FaceIndexOptions both = hog_only();
  both.detector_dir = default_detector_dir();
  const FaceIndex hog = index_faces(files, names, hog_only()), with_blazeface = index_faces(files, names, both);
  const long missed = count_reason(hog, "no face found"), still_missed = count_reason(with_blazeface, "no face found");
  std::cout << "80 clean photos: HOG " << hog.faces.size() << " faces (" << missed << " no face found); with BlazeFace "
            << with_blazeface.faces.size() << " (" << still_missed << ")\n";
  EXPECT_GE(with_blazeface.faces.size(), hog.faces.size() + 10);
  EXPECT_LE(still_missed * 4, missed);
  std::map<std::string, const FaceSource*> found;
  for (const FaceSource& f : with_blazeface.faces) found[f.photo + "#" + std::to_string(f.face_index)] = &f;
  for (const FaceSource& f : hog.faces) {
    const auto it = found.find(f.photo + "#" + std::to_string(f.face_index));
    ASSERT_NE(it, found.end()) << f.photo << ": HOG's face lost";
    for (int k = 0; k < 68; ++k) ASSERT_EQ(it->second->points[k], f.points[k]) << f.photo << " landmark " << k;
  }
}

// Where HOG finds the face, the BlazeFace route (its own box, two fits) lands the landmarks close
// to HOG's: the fit the index relies on for the faces HOG misses.
TEST(FaceIndex, LandmarksFittedInBlazeFacesBoxMatchHogsWhereBothFindTheFace) {
  if (!fs::is_directory(FACEOCC_SHARED_DIR "/data/dev/0_0_0")) GTEST_SKIP() << "no development photos";
  const FaceFinder finder(default_shape_predictor());
  const BlazeFace blazeface(default_detector_dir());
  std::vector<double> errors;
  for (const fs::path& f : clean_photos(size_t(-1))) {  // until 40 faces both find
    if (errors.size() >= 40) break;
    const cv::Mat img = cv::imread(f.string());
    const auto hog = finder.find(img, 1);
    if (hog.empty() || hog[0].score < 0.3) continue;
    const auto dets = blazeface.detect(img);
    if (dets.empty()) continue;
    const DetectedFace fit = fit_in_blazeface_box(img, dets[0], finder);
    const double iod = cv::norm((hog[0].points[36] + hog[0].points[39]) * 0.5f - (hog[0].points[42] + hog[0].points[45]) * 0.5f);
    double e = 0;
    for (int k = 0; k < 68; ++k) e += cv::norm(fit.points[k] - hog[0].points[k]);
    errors.push_back(e / 68 / iod);
  }
  ASSERT_EQ(errors.size(), 40u);
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  const long close = std::count_if(errors.begin(), errors.end(), [](double e) { return e < 0.05; });
  std::cout << errors.size() << " faces: mean landmark distance / inter-ocular distance, median " << median << "; "
            << close << " within 0.05\n";
  // Measured: median 0.020, 34 of 40 within 0.05; the other 6 at 0.41-0.66 (another face of the
  // photo, or a fit that failed: the index's plausibility check stands behind it).
  EXPECT_LT(median, 0.03);
  EXPECT_GE(close, 32);
}

}  // namespace
}  // namespace faceocc
