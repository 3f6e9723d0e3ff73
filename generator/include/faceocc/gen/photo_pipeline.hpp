// The camera every synthetic sample goes through, whatever its class: no
// processing step happens only to occluded samples, so a classifier cannot
// tell "occluded" from "clean" by sharpness, noise, colour or compression
// traces, and no two samples of one face are the same image.
//
//   jitter_face : before the occluders: a small random similarity (scale,
//                 rotation, shift) of the face crop and its landmarks;
//   photograph  : after them: exposure, contrast, gamma, colour cast, blur
//                 and sensor noise; the sample is then saved as JPEG at the
//                 camera's own quality (Camera::jpeg_quality).
// Every draw comes from the sample's Rng, all of them unconditionally (the
// stream never depends on pixel values). Pure functions: thread-safe.
#pragma once
#include <opencv2/core.hpp>

#include "faceocc/face/landmarks.hpp"
#include "faceocc/gen/rng.hpp"

namespace faceocc {

struct PhotoPipelineOptions {
  double max_scale = 0.08, max_rotation_deg = 8, max_shift = 0.04;  // shift: fraction of the crop side
  double max_exposure = 0.25, max_contrast = 0.2, max_gamma = 0.2, max_cast = 0.06;
  double max_blur = 1.0;    // Gaussian sigma, px at 256 px (scaled with the image)
  double max_noise = 4.0;   // added sensor noise sigma, grey levels
  int jpeg_min = 55, jpeg_max = 92;  // the sample's JPEG quality is drawn from this range
};

// Call once before generating in parallel: it makes what OpenCV fills lazily and not
// thread-safely on first use (its Gaussian tables, on the first normal draw; its matrix
// expressions' operator table, published by double-checked locking on a plain pointer, which
// ThreadSanitizer reports) and the shared noise tile. Without it the first samples of each
// thread could differ between identical runs.
void prepare_opencv_statics();
const cv::Mat& noise_tile();  // 512x512 CV_32FC3 unit Gaussian noise, made once

// image: BGR 8U (modified); pts: its landmarks (moved with it).
// `inside` (optional, CV_8UC1: where the crop shows the photo) moves with the face.
void jitter_face(cv::Mat& image, Landmarks68& pts, Rng& rng, const PhotoPipelineOptions& opt = {},
                 cv::Mat* inside = nullptr);

// The camera's settings for one sample, drawn from its Rng.
struct Camera {
  double exposure = 1, contrast = 1, gamma = 1;
  cv::Vec3d cast{1, 1, 1};
  double blur = 0, noise = 0;  // blur at 256 px
  uint64_t noise_seed = 0;
  int jpeg_quality = 95;
};
Camera draw_camera(Rng& rng, const PhotoPipelineOptions& opt = {});

// image: BGR 8U (modified).
void photograph(cv::Mat& image, const Camera& camera);
inline void photograph(cv::Mat& image, Rng& rng, const PhotoPipelineOptions& opt = {}) {
  photograph(image, draw_camera(rng, opt));
}

}  // namespace faceocc
