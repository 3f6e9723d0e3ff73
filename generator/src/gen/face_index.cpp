#include "faceocc/gen/face_source.hpp"

#include "faceocc/atomic_file.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/face/blazeface.hpp"
#include "faceocc/gen/landmark_cache.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/parallel_for.hpp"
#include "faceocc/progress.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

namespace faceocc {

namespace fs = std::filesystem;

namespace {

// Upsampling finds faces below ~80 px; large photos don't need it.
int upsample_for(const cv::Mat& img) { return std::max(img.cols, img.rows) < 1000 ? 1 : 0; }

// Median BGR of small patches around `centres` (radius ~4% of the face width).
cv::Vec3f median_colour(const cv::Mat& crop, const Landmarks68& p, std::initializer_list<cv::Point2f> centres,
                        cv::Vec3f fallback) {
  std::vector<float> ch[3];
  const float r = std::max(2.0f, float(cv::norm(p[0] - p[16])) * 0.04f);
  for (cv::Point2f c : centres) {
    const cv::Rect box = cv::Rect(cv::Point(int(c.x - r), int(c.y - r)), cv::Size(int(2 * r), int(2 * r))) &
                         cv::Rect(0, 0, crop.cols, crop.rows);
    for (int y = box.y; y < box.y + box.height; ++y)
      for (int x = box.x; x < box.x + box.width; ++x)
        for (int k = 0; k < 3; ++k) ch[k].push_back(crop.at<cv::Vec3b>(y, x)[k]);
  }
  cv::Vec3f out = fallback;
  for (int k = 0; k < 3; ++k) {
    if (ch[k].empty()) continue;
    std::nth_element(ch[k].begin(), ch[k].begin() + ch[k].size() / 2, ch[k].end());
    out[k] = ch[k][ch[k].size() / 2];
  }
  return out;
}

// Robust noise estimate: MAD of the Laplacian (whose noise gain is sqrt(20)).
float noise_sigma(const cv::Mat& crop) {
  cv::Mat gray, lap;
  cv::cvtColor(crop, gray, cv::COLOR_BGR2GRAY);
  cv::Laplacian(gray, lap, CV_32F);
  std::vector<float> v(lap.begin<float>(), lap.end<float>());
  for (float& x : v) x = std::abs(x);
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return std::min(8.0f, 1.4826f * v[v.size() / 2] / std::sqrt(20.0f));
}

struct PhotoResult {
  std::vector<FaceSource> faces;
  std::vector<SkippedInput> skipped;
  bool cache_hit = false, detected = false;
};

PhotoResult index_photo(const fs::path& file, const std::string& rel, const FaceFinder& finder,
                        const BlazeFace* blazeface, const FaceIndexOptions& opt) {
  PhotoResult r;
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) { r.skipped.push_back({rel, "cannot read file"}); return r; }
  ImageRead decoded = decode_image(bytes);
  if (!decoded.problem.empty()) { r.skipped.push_back({rel, decoded.problem}); return r; }
  const cv::Mat img = std::move(decoded.image);

  std::vector<DetectedFace> found;
  const std::string key = content_key(bytes);
  // The cache file says which search made it: an entry of the HOG-only search is not reused.
  const std::string search = blazeface ? ".hog+blazeface.txt" : ".txt";
  const fs::path cache_file = opt.cache_dir.empty() ? fs::path() : opt.cache_dir / (key + search);
  if (auto cached = cache_file.empty() ? std::nullopt : read_landmark_cache(cache_file)) {
    found = std::move(*cached);
    r.cache_hit = true;
  } else {
    found = finder.find(img, upsample_for(img));
    const bool sure = std::any_of(found.begin(), found.end(), [&](const DetectedFace& f) { return f.score >= opt.min_score; });
    if (blazeface && !sure) {
      const std::vector<FaceDetection> dets = blazeface->detect(img);
      if (!dets.empty() && implausible_keypoints(dets[0]).empty()) found = {fit_in_blazeface_box(img, dets[0], finder)};
    }
    r.detected = true;
    if (!cache_file.empty()) write_landmark_cache(cache_file, found);
  }
  add_faces(img, rel, found, opt, r.faces, r.skipped);
  for (FaceSource& f : r.faces) f.key = key;
  return r;
}

}  // namespace

std::pair<cv::Point2f, cv::Point2f> landmark_corners(const Landmarks68& p) {
  float x0 = p[0].x, y0 = p[0].y, x1 = x0, y1 = y0;
  for (const auto& q : p) x0 = std::min(x0, q.x), y0 = std::min(y0, q.y), x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
  return {{x0, y0}, {x1, y1}};
}

// BlazeFace's box around the landmarks' extent (measured on 119 clean development faces).
constexpr float kBlazeWide = 1.07f, kBlazeHigh = 1.08f, kBlazeUp = 0.056f;

cv::Rect2f blazeface_box(const Landmarks68& pts) {
  const auto [lo, hi] = landmark_corners(pts);
  const float w = kBlazeWide * (hi.x - lo.x), h = kBlazeHigh * (hi.y - lo.y);
  const cv::Point2f c((lo.x + hi.x) / 2, (lo.y + hi.y) / 2 - kBlazeUp * (hi.y - lo.y));
  return {c.x - w / 2, c.y - h / 2, w, h};
}

// HOG's box relation, measured on the 613 development clean faces HOG finds (their landmark
// cache): extent x (1.03 wide, 1.08 high), centred 0.083 of the extent's height above it.
DetectedFace fit_in_blazeface_box(const cv::Mat& img, const FaceDetection& d, const FaceFinder& finder) {
  auto hog_box = [](cv::Point2f centre, float extent_w, float extent_h) {
    const float w = 1.03f * extent_w, h = 1.08f * extent_h;
    const cv::Point2f c = centre - cv::Point2f(0, 0.083f * extent_h);
    return cv::Rect(cv::Point(int(std::lround(c.x - w / 2)), int(std::lround(c.y - h / 2))),
                    cv::Size(int(std::lround(w)), int(std::lround(h))));
  };
  const float ew = d.box.width / kBlazeWide, eh = d.box.height / kBlazeHigh;  // blazeface_box, inverted
  const cv::Point2f extent_centre(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2 + kBlazeUp * eh);
  DetectedFace f;
  f.score = d.score;
  f.box = hog_box(extent_centre, ew, eh);
  f.points = finder.fit(img, f.box);
  const auto [lo, hi] = landmark_corners(f.points);
  f.box = hog_box({(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, hi.x - lo.x, hi.y - lo.y);
  f.points = finder.fit(img, f.box);
  return f;
}

void add_faces(const cv::Mat& img, const std::string& rel, const std::vector<DetectedFace>& found,
               const FaceIndexOptions& opt, std::vector<FaceSource>& faces, std::vector<SkippedInput>& skipped) {
  if (found.empty()) { skipped.push_back({rel, "no face found"}); return; }
  for (size_t i = 0; i < found.size(); ++i) {
    const std::string name = rel + "#" + std::to_string(i);
    const Landmarks68& p = found[i].points;
    const auto [lo, hi] = landmark_corners(p);
    const cv::Rect2f ext(lo.x, lo.y, hi.x - lo.x, hi.y - lo.y);
    if (std::max(ext.width, ext.height) < float(opt.min_face)) {
      skipped.push_back({name, "face too small (" + std::to_string(int(std::max(ext.width, ext.height))) + " px)"});
      continue;
    }
    if (found[i].score < opt.min_score) {
      char b[96];
      std::snprintf(b, sizeof b, "weak detection (score %.2f < %.2f)", found[i].score, opt.min_score);
      skipped.push_back({name, b});
      continue;
    }
    if (const std::string why = landmark_fit_problem(p, img.size()); !why.empty()) {
      skipped.push_back({name, why});
      continue;
    }
    // Square crop around the landmarks, 1.8x their extent, scaled to opt.size.
    const float side = 1.8f * std::max(ext.width, ext.height), s = float(opt.size) / side;
    const cv::Point2f c(ext.x + ext.width / 2, ext.y + ext.height * 0.45f);
    const cv::Matx23f m(s, 0, opt.size / 2.0f - s * c.x, 0, s, opt.size / 2.0f - s * c.y);
    FaceSource f;
    f.photo = rel;
    f.face_index = int(i);
    cv::warpAffine(img, f.crop, m, cv::Size(opt.size, opt.size), s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR,
                   cv::BORDER_REPLICATE);
    cv::warpAffine(cv::Mat(img.size(), CV_8UC1, cv::Scalar(255)), f.inside, m, f.crop.size(), cv::INTER_NEAREST,
                   cv::BORDER_CONSTANT, cv::Scalar(0));
    if (cv::countNonZero(f.inside) == int(f.inside.total())) f.inside.release();  // decided once, not per sample
    for (int k = 0; k < 68; ++k) f.points[k] = cv::Point2f(s * p[k].x + m(0, 2), s * p[k].y + m(1, 2));
    const Landmarks68& q = f.points;
    f.skin = median_colour(f.crop, q, {(q[2] + q[31]) * 0.5f, (q[14] + q[35]) * 0.5f, q[29]}, {150, 170, 200});
    // Hairline: above the brows by ~0.9x the brow-to-nose-tip distance.
    const cv::Point2f up = (q[19] + q[24]) * 0.5f - q[30];
    f.hair = median_colour(f.crop, q, {q[19] + up * 0.9f, q[24] + up * 0.9f, (q[19] + q[24]) * 0.5f + up * 1.0f}, {30, 40, 60});
    f.noise_sigma = noise_sigma(f.crop);
    f.softness = 0.6f * std::max(1.0f, s);  // an upscaled photo is as soft as its own pixels
    faces.push_back(std::move(f));
  }
}

std::string landmark_fit_problem(const Landmarks68& p, const cv::Size& image) {
  // Eyes, nose and mouth must be in the photo; the jaw and brows may leave it by up to a fifth of
  // the face's extent (tightly framed photos: the crop blacks out what lies beyond, as aligning
  // such a real photo does, and FaceSource::inside records where).
  const auto [lo, hi] = landmark_corners(p);
  const float margin = 0.2f * std::max(hi.x - lo.x, hi.y - lo.y);
  for (int k = 0; k < 68; ++k) {
    const float m = k < 27 ? margin : 0.0f;  // 0-16 jaw, 17-26 brows
    const cv::Point2f q = p[size_t(k)];
    if (q.x < -m || q.y < -m || q.x >= float(image.width) + m || q.y >= float(image.height) + m) return "face cut by the image border";
  }
  auto mean = [&](int a, int b) {
    cv::Point2f s{0, 0};
    for (int i = a; i <= b; ++i) s += p[i];
    return s * (1.0f / float(b - a + 1));
  };
  const cv::Point2f le = mean(36, 41), re = mean(42, 47), mouth = mean(48, 59), nose = p[30];
  const float eyes = float(cv::norm(re - le));
  const float jaw = float(cv::norm(p[16] - p[0]));
  const cv::Point2f up = (le + re) * 0.5f - mouth;  // points from mouth to eyes
  // A plausible face: eyes apart, mouth below the eyes, nose between them, jaw wider than the eyes.
  if (eyes < 1e-3f || jaw / eyes < 1.4f || jaw / eyes > 4.0f) return "poor landmark fit (jaw/eye proportions)";
  const float h = float(cv::norm(up));
  if (h / eyes < 0.6f || h / eyes > 2.2f) return "poor landmark fit (eye-mouth distance)";
  const cv::Point2f eye_axis = (re - le) * (1.0f / eyes);
  if (std::abs(up.dot(eye_axis)) > 0.8f * h) return "poor landmark fit (mouth not below the eyes)";
  const float t = (nose - mouth).dot(up) / (h * h);
  if (t < -0.1f || t > 1.0f) return "poor landmark fit (nose not between eyes and mouth)";
  return "";
}

FaceIndex index_faces(const fs::path& dir, const FaceIndexOptions& opt) {
  if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": faces folder not found");
  FileProblems unreadable;
  const std::vector<fs::path> files = list_images(dir, &unreadable);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(fs::relative(f, dir).generic_string());
  FaceIndex out = index_faces(files, names, opt);
  for (const auto& [file, why] : unreadable) out.skipped.push_back({file, "cannot read (" + why + ")"});
  return out;
}

FaceIndex index_faces(const std::vector<fs::path>& files, const std::vector<std::string>& names, const FaceIndexOptions& opt) {
  if (!opt.cache_dir.empty()) fs::create_directories(opt.cache_dir);
  const FaceFinder proto(opt.shape_predictor);
  tbb::enumerable_thread_specific<FaceFinder> finders([&] { return proto.clone(); });
  std::optional<BlazeFace> blaze_proto;
  if (!opt.detector_dir.empty()) blaze_proto.emplace(opt.detector_dir);
  tbb::enumerable_thread_specific<std::optional<BlazeFace>> blazefaces([&] {
    return blaze_proto ? std::optional<BlazeFace>(blaze_proto->clone()) : std::optional<BlazeFace>();
  });
  std::vector<PhotoResult> results(files.size());
  const int threads = opt.threads > 0 ? opt.threads : int(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
  ProgressMeter meter("finding clean faces", "photos", long(files.size()), opt.log);
  std::atomic<long> done{0};
  parallel_for_index(files.size(), [&](size_t i) {
    const std::string& rel = names[i];
    try {
      std::optional<BlazeFace>& blazeface = blazefaces.local();
      results[i] = index_photo(files[i], rel, finders.local(), blazeface ? &*blazeface : nullptr, opt);
    } catch (const std::exception& e) {
      results[i].skipped.push_back({rel, std::string("error: ") + e.what()});
    }
    meter.update(++done);
  });
  if (files.size() > 64) meter.finish();
  FaceIndex out;
  out.photos = int(files.size());
  for (auto& r : results) {
    for (auto& f : r.faces) out.faces.push_back(std::move(f));
    for (auto& s : r.skipped) out.skipped.push_back(std::move(s));
    out.cache_hits += r.cache_hit;
    out.detections += r.detected;
  }
  return out;
}

}  // namespace faceocc
