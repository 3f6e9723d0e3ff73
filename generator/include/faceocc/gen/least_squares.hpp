// Small least-squares fits solved in closed form (normal equations on centred
// coordinates), in the calling thread's own memory.
//
// Why not cv::solve: from ~25 rows on, OpenCV hands SVD and QR to LAPACK, which is
// not safe to enter from two threads at once here (blas_lock.hpp), and occgen fits
// on every worker thread. The sums run in a fixed order: the same points give the
// same bits on any thread.
//
// Thread safety: fit_affine is a pure function; a PlaneFit is one thread's object.
#pragma once
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

// requires: src.size() == dst.size() >= 3; src not all on one line (throws std::invalid_argument).
// ensures: the 2x3 CV_64F affine map A minimising sum |A [src_i; 1] - dst_i|^2.
cv::Mat fit_affine(const std::vector<cv::Point2f>& src, const std::vector<cv::Point2f>& dst);

// The plane z = c0 + cx x + cy y nearest (least squares) to the points added.
class PlaneFit {
 public:
  void add(double x, double y, double z);
  long count() const { return n_; }
  double mean_z() const { return n_ ? sz_ / double(n_) : 0.0; }
  // ensures: (c0, cx, cy); nullopt with fewer than 3 points or all of them on one line.
  std::optional<cv::Vec3d> solve() const;

 private:
  long n_ = 0;
  double sx_ = 0, sy_ = 0, sz_ = 0, sxx_ = 0, sxy_ = 0, syy_ = 0, sxz_ = 0, syz_ = 0;
};

}  // namespace faceocc
