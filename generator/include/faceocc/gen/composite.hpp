// Placing one occluder on a face: a least-squares affine fit of the asset's
// anchors to the face's landmarks (so roll, scale and yaw foreshortening
// follow the face) or a piecewise mesh through them, random jitter, then
// blending that tries to look photographed: per-use colour or fabric, the
// photo's illumination, colour cast and light gradient, blur and noise matched
// to it, feathered alpha, optional soft shadow.
// Cost is bounded by the occluder's footprint, not the image.
#pragma once
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/occluder.hpp"
#include "faceocc/gen/rng.hpp"

namespace faceocc {

struct Placement {
  std::string asset_id;
  float scale = 1, rotation_deg = 0, dx = 0, dy = 0;  // jitter; dx, dy in face-size units
  bool shadow = false;
};

// Draws `asset` on `image` (BGR 8U, modified) for the face `src`, whose
// landmarks in `image` are `pts`. `mask` (CV_8UC1, same size) accumulates
// the occluder's alpha (max). `offset` pushes the asset along the face's
// vertical axis (face-size units; negative = up), used for decoys.
// `poisson`: photographed assets (recolor none, dye, texture) are Poisson-blended
// into the photo (cv::seamlessClone) before the alpha blend (occgen --poisson).
// Shading never changes the alpha written to `mask`.
Placement place_occluder(cv::Mat& image, cv::Mat& mask, const OccluderAsset& asset, const FaceSource& src,
                         const Landmarks68& pts, Rng& rng, float offset = 0.0f, bool allow_shadow = true,
                         bool poisson = false);

}  // namespace faceocc
