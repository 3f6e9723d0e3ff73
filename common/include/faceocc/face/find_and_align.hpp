// The one path from a photo to the classifier's input, used for everything the
// classifier sees (real photos in occtrain/occeval/occpredict, occgen's
// synthetic images, the nightly loop): find the face with BlazeFace, then align
// its eyes, nose tip and mouth centre (what a mask or sunglasses leave
// findable) onto the InsightFace 112x112 template. A crop's geometry then never
// tells the classifier where it came from.
//
// Thread safety: as the BlazeFace passed in (one per thread).
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/face/align.hpp"
#include "faceocc/face/blazeface.hpp"

namespace faceocc {

// Bump when anything below changes the crops: it names the aligned-crop cache.
constexpr const char* kAlignmentVersion = "align-v3";  // v3: BlazeFace keypoints (v2: dlib HOG + 68 points)

struct AlignedFace {
  cv::Mat crop;             // BGR size x size
  bool face_found = false;  // false: the centre square of the photo (training/evaluation fallback)
  int faces = 0;            // faces found in the photo
  FaceDetection face;       // the face the crop shows (when found)
};

// Eyes (image left, image right), nose tip and mouth centre of a detection.
FourPoints four_points(const FaceDetection& d);

// requires: a non-empty 8-bit image. The largest face, or the centre square.
AlignedFace find_and_align(const cv::Mat& image, const BlazeFace& detector, int size = 112);

// Every face found, largest first (empty when none).
std::vector<AlignedFace> find_and_align_all(const cv::Mat& image, const BlazeFace& detector, int size = 112);

// For an image whose face is known to be where `box` is (occgen's sample, made from a clean face
// whose landmarks it knows): find_and_align's last step alone, BlazeFace's short-range pass on a
// square of twice the face around the box (BlazeFace::refine), then the same alignment. One pass of
// the 128 px model instead of the search and the refinement. face_found is false (and the crop
// empty) when that pass does not find the face there.
AlignedFace align_known_face(const cv::Mat& image, const BlazeFace& detector, const cv::Rect2f& box, int size = 112);

// The documented fallback: the centre square of the image, resized to size.
cv::Mat centre_crop(const cv::Mat& image, int size = 112);

}  // namespace faceocc
