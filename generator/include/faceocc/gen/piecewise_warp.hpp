// A piecewise-affine (triangle-mesh) warp that carries every anchor of an
// occluder exactly onto its landmark, so a photographed mask follows the nose
// bridge, cheeks and jaw instead of one global affine fit.
//
// The mesh: a Delaunay triangulation of the anchors plus eight points on a box
// around the asset (its size + a quarter each side). The box points move with
// the least-squares affine fit of the anchors, so pixels outside the anchors'
// hull (ear loops, straps) follow the face as an affine placement would.
//
// Thread safety: immutable after construction; concurrent use is safe.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

class PiecewiseWarp {
 public:
  // requires: src.size() == dst.size() >= 3, all finite, src not collinear;
  //           asset_size = the size of the image the src points live in.
  // throws std::invalid_argument otherwise.
  PiecewiseWarp(const std::vector<cv::Point2f>& src, const std::vector<cv::Point2f>& dst, cv::Size asset_size);

  // Forward map of an asset point (ensures: map(src[i]) == dst[i] up to float rounding).
  cv::Point2f map(cv::Point2f p) const;
  // Bounding box of the warped asset rectangle in destination pixels.
  cv::Rect bounds() const;
  // Warps `asset` into `out` (out.size() = roi.size(), roi in destination
  // pixels, type of `asset`): bilinear, transparent/zero outside the mesh.
  void render(const cv::Mat& asset, cv::Rect roi, cv::Mat& out) const;
  // Triangles whose orientation flips under the warp (a folded mesh); 0 for a
  // sensible fit.
  int folded_triangles() const;

 private:
  std::vector<cv::Point2f> src_, dst_;  // mesh vertices: anchors first, then box points
  std::vector<cv::Vec3i> tris_;
  cv::Matx23d affine_;  // least-squares fit of the anchors: moves the box, and any point beyond it
  cv::Size size_;
};

}  // namespace faceocc
