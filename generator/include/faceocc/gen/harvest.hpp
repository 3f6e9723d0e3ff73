// Occluders cut out of real photos. A real photo labelled upper (or lower)
// shows a real occluder over the eyes (or mouth and chin): sunglasses, hair,
// a hand, a mask. The photo is aligned (BlazeFace eyes, nose tip and mouth)
// into a frame around the canonical face, GrabCut segments what covers the
// region (seeded: the region probably foreground, the other half of the face
// and everything far from the face background), and the cut-out becomes an
// ordinary occluder asset anchored to the canonical face's landmarks, so
// occgen places it like any other. Poor cut-outs are rejected by measured
// criteria (HarvestOptions), each with its reason.
//
// Which photos may be harvested is not decided here: the trainer's
// occharvest reads only the training split (see faceocc/train/harvest_split.hpp).
//
// Thread safety: pure function.
#pragma once
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "faceocc/face/blazeface.hpp"
#include "faceocc/gen/occluder.hpp"

namespace faceocc {

struct HarvestOptions {
  int frame = 224;            // side of the aligned frame the cut is made in
  double min_cover = 0.55;    // share of the target region the cut-out must cover
  bool upper_eyes_only = true;  // upper cut-outs: the cover is measured on the eyes alone, as occgen's
                                // --upper-region eyes labels a sample (sunglasses rarely cover the brows)
  double max_other = 0.10;    // share of the other region it may cover
  double min_contrast = 14;   // mean CIELAB distance between cut-out and the face's visible skin
  double min_solidity = 0.85; // largest connected piece / whole cut-out
  int iterations = 4;         // GrabCut iterations
};

struct HarvestResult {
  std::optional<OccluderAsset> asset;  // set when accepted
  std::string rejected;                // why not, when rejected
  double cover = 0, other = 0, contrast = 0, solidity = 0;  // the measurements
};

// The id a harvested asset of this source photo gets: "harvest_<upper|lower>_<key>".
std::string harvest_id(bool upper, const std::string& source_key);
// The source key in a harvested asset id ("" when the id is not a harvested one).
std::string harvest_source_key(const std::string& asset_id);

// requires: photo BGR 8-bit; face found in it (keypoints in photo pixels).
// upper = cut what covers the eyes (else the mouth and chin). source_key: the
// photo's content key; source_path and licence go into the asset's metadata.
HarvestResult harvest_occluder(const cv::Mat& photo, const FaceDetection& face, bool upper,
                               const std::string& source_key, const std::string& source_path,
                               const std::string& licence, const HarvestOptions& opt = {});

}  // namespace faceocc
