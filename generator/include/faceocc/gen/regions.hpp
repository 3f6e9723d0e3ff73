// Labels from measurement: the upper (brows + eyes) and lower (mouth + chin)
// regions come from the landmarks; the class follows from how much of each is
// covered by occluder alpha, with an ambiguous band that is never emitted.
#pragma once
#include <optional>

#include <opencv2/core.hpp>

#include "faceocc/classes.hpp"
#include "faceocc/face/landmarks.hpp"

namespace faceocc {

enum class Region { Upper, Lower, Eyes };

// Upper: convex hull of landmarks 17-26 and 36-47. Lower: of 48-67 and jaw 5-11.
// Eyes: of 36-47 (both eyes and the bridge between them, brows left out).
std::vector<cv::Point> region_polygon(const Landmarks68& p, Region r);

struct Coverage {
  float upper = 0, lower = 0;  // alpha-weighted covered fraction of each region, 0..1
  float eyes = 0;              // of the eyes alone
};

// `alpha` is CV_8UC1, 255 = fully covered.
Coverage measure_coverage(const cv::Mat& alpha, const Landmarks68& p);

struct LabelRule {
  float covered = 0.40f;  // a region at or above this is covered
  float visible = 0.10f;  // at or below this it is visible; between: ambiguous
  // Judge "upper" on the eyes alone: hair over the brows with the eyes visible
  // is not an upper occlusion (real annotators label such masked faces lower).
  bool eyes_only = false;
};

// nullopt when either region falls in the ambiguous band.
std::optional<OccClass> label_from_coverage(const Coverage& c, const LabelRule& rule);

}  // namespace faceocc
