// Clean faces in: every face of every photo under a folder becomes a source,
// cropped square around its landmarks and kept in memory, so generating a
// sample never decodes or detects. Detection (~10x the cost of the rest) runs
// once per photo; its result is cached on disk keyed by the photo's bytes.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/face/blazeface.hpp"
#include "faceocc/face/landmarks.hpp"
#include "faceocc/face/image_list.hpp"  // list_images: the image files index_faces reads

namespace faceocc {

struct FaceSource {
  std::string photo;   // path relative to the faces folder (or as listed, for a list of photos)
  std::string key;     // content key of the photo's bytes (content_hash.hpp)
  int face_index = 0;  // 0 = largest face of the photo
  cv::Mat crop;        // BGR, size x size, face-centred
  cv::Mat inside;      // CV_8UC1, 255 where the crop shows the photo, 0 beyond its edge (a tightly
                       // cropped photo): occgen blacks that out, as aligning such a real photo does.
                       // Empty when the photo fills the whole crop (nothing to black out).
  Landmarks68 points;  // in crop coordinates
  cv::Vec3f skin;      // median BGR of cheeks and nose: tone for hand occluders
  cv::Vec3f hair;      // median BGR above the brows, near the hairline: the subject's own hair colour
  float noise_sigma = 0;  // estimated noise of the photo, grey levels
  float softness = 0.6f;  // blur sigma (crop px) of the photo's own resolution: larger when the crop was upscaled
};

struct SkippedInput {
  std::string file;    // photo (and "#face" when one face of it was skipped)
  std::string reason;
};

struct FaceIndexOptions {
  std::filesystem::path shape_predictor;
  std::filesystem::path cache_dir;  // landmark cache; empty = no cache
  int size = 256;                   // side of the face crop
  int min_face = 40;                // smallest accepted face (landmark extent, px)
  double min_score = 0.3;           // weakest accepted HOG detection (false positives score ~0)
  // BlazeFace models (blazeface.hpp): a photo where dlib's HOG finds no face, or only weak ones,
  // is searched again with BlazeFace, and dlib's landmarks are fitted in the box it finds
  // (HOG misses most non-frontal, tightly framed and dim faces). Empty: HOG only.
  std::filesystem::path detector_dir;
  int threads = 0;                  // 0 = all cores
  std::function<void(const std::string&)> log;  // progress lines (count, ETA); empty: stderr
};

struct FaceIndex {
  std::vector<FaceSource> faces;      // photo order (sorted paths), then face order
  std::vector<SkippedInput> skipped;  // photos and faces left out, with why
  int photos = 0, cache_hits = 0, detections = 0;
};

FaceIndex index_faces(const std::filesystem::path& faces_dir, const FaceIndexOptions& opt);

// The same for a list of photos, `names[i]` naming files[i] in the index (FaceSource::photo).
FaceIndex index_faces(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& names,
                      const FaceIndexOptions& opt);

// The faces detection `found` in `img` (the photo `rel`, largest first) that make sources:
// big enough, detected surely enough, with a plausible landmark fit, each cropped square
// around its landmarks (opt.size); the others go to `skipped` with why ("no face found"
// when there is none). Thread safety: pure, apart from appending to the two lists.
void add_faces(const cv::Mat& img, const std::string& rel, const std::vector<DetectedFace>& found,
               const FaceIndexOptions& opt, std::vector<FaceSource>& faces, std::vector<SkippedInput>& skipped);

// The corners (min, max) of the rectangle the 68 landmarks span.
std::pair<cv::Point2f, cv::Point2f> landmark_corners(const Landmarks68& p);

// The box BlazeFace draws around a face, from its 68 landmarks (measured on 119 clean development
// faces: 1.07 x the landmarks' width, 1.08 x their height, centred 0.056 of their height above).
cv::Rect2f blazeface_box(const Landmarks68& p);

// dlib's 68 landmarks for a face BlazeFace found (the clean-face index's second search): fitted
// in the box dlib's HOG detector would draw around that face, then refitted in the box their own
// extent gives. score = BlazeFace's. Thread safety: as `finder` (one per thread).
DetectedFace fit_in_blazeface_box(const cv::Mat& img, const FaceDetection& d, const FaceFinder& finder);

// Why a landmark fit is unusable ("" when it is fine). Exposed for tests.
std::string landmark_fit_problem(const Landmarks68& p, const cv::Size& image);

}  // namespace faceocc
