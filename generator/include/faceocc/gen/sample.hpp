// One synthetic sample: pick a source face and occluders suited to the target
// class, composite, measure coverage, and re-draw until the measured class is
// the target (ambiguous or wrong draws are never emitted). Everything random
// comes from Rng(seed, index, attempt).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/gen/composite.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/occluder.hpp"
#include "faceocc/gen/photo_pipeline.hpp"
#include "faceocc/gen/regions.hpp"

namespace faceocc {

struct Sample;

struct SampleOptions {
  LabelRule rule;
  int max_attempts = 80;
  double decoy = 0.5;  // chance of a near-miss occluder (kept off the regions) as a hard negative
  double eyeglasses = 0.25;  // chance of a "covers none" asset (clear glasses) on any class
  double touch = 0.25;       // chance of a hand decoy ("covers touch": on a cheek, the chin, the forehead) on any class
  bool poisson = false;      // Poisson-blend photographed occluders (see place_occluder)
  PhotoPipelineOptions camera;  // the camera every sample goes through
  // Optional last check of a draw that reached its class (e.g. "the face
  // detector still finds this face"); false re-draws. It may fill
  // Sample::aligned. Must be deterministic and callable from several threads.
  std::function<bool(Sample&)> accept;
};

struct Sample {
  OccClass cls = OccClass::None;
  cv::Mat image;  // BGR
  cv::Mat mask;   // CV_8UC1 occlusion alpha
  Coverage coverage;
  int source = 0;  // index into the face list
  bool flipped = false;  // source mirrored left-right
  Landmarks68 points;    // landmarks in `image`
  std::vector<Placement> occluders;
  uint64_t seed = 0;  // the attempt's seed
  int attempts = 0;
  int jpeg_quality = 92;       // the camera's: save the image at this quality
  std::vector<uchar> encoded;  // the image as JPEG, when SampleOptions::accept encoded it
  cv::Mat aligned;             // the classifier's crop, when SampleOptions::accept made one
};

// Assets of one region, drawn category first (each category as often as any
// other, however many assets it holds: 700 harvested cut-outs must not drown
// the 18 chin covers), then an asset of it, `weight` times as likely as a
// weight-1 one. A family (views of one object) enters as one asset (with its
// first view's weight); OccluderPools::view_of then picks the view that suits the face.
struct OccluderPool {
  std::vector<int> all;                       // asset indices, each `weight` times
  std::vector<std::vector<int>> by_category;  // the same, per category (categories sorted by name)
  bool empty() const { return all.empty(); }
  void add(int index, const std::string& category, int weight);
  int draw(Rng& rng) const;                   // requires: !empty()
 private:
  std::vector<std::string> categories_;
};

// Asset pools by what they cover; built once per run.
struct OccluderPools {
  OccluderPool upper, lower, both, none, touch;
  OccluderPool upper_to_combine, lower_to_combine;  // the ones "both" samples pair up (combine: true)
  std::map<std::string, std::array<int, 4>> families;  // family -> asset index per View (-1: none)
  explicit OccluderPools(const OccluderLibrary& lib);
  // The asset to draw for `index` on a face seen as `view`: itself, or the
  // family's asset for that view (frontal, then any, when it lacks one).
  int view_of(const OccluderLibrary& lib, int index, View view) const;
};

// How the face is turned, from its landmarks: the nose tip's position between
// the jaw ends (0.5 = frontal). Left = nose towards the image's left.
View face_view(const Landmarks68& pts);

std::optional<Sample> generate_sample(uint64_t seed, int64_t index, OccClass target,
                                      const std::vector<FaceSource>& faces, const OccluderLibrary& lib,
                                      const OccluderPools& pools, const SampleOptions& opt);

}  // namespace faceocc
