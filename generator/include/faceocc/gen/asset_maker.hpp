// Procedural occluders, drawn by code around the canonical face so the project
// owns every pixel: hair fringes, sunglasses, hands over the eyes or mouth,
// drawn masks (off by default: the photographed ones replaced them), scarves,
// turtlenecks, collars and hands under the chin, clear eyeglasses (covering
// nothing). Same seed, same assets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "faceocc/gen/occluder.hpp"

namespace faceocc {

struct AssetCounts {
  // masks and hands over the eyes or mouth: photographed ones (mask_templates.hpp, hand_photos.hpp). The drawn
  // hands (smooth, one skin tone) taught "skin-coloured thing = lower"; occassets --hand N still draws them.
  // objects (a phone, a cup, a bottle, paper, a microphone, a cloth): drawn on request (occassets --objects N) until a
  // measurement says they help. fabric_scarves (scarves dressed in the fabric photographs): the same, measured
  // in docs/occgen.md.
  int hair = 24, glasses = 12, hand = 0, mask = 0, chin = 18, eyeglasses = 12, objects = 0, fabric_scarves = 0;
  // Which of the objects to keep: "any", or only those meant for one region, "upper" (phones and paper over the
  // eyes) or "lower" (the rest). The draws do not change: a kept object is byte for byte the one "any" draws.
  std::string objects_over = "any";
};

// The values AssetCounts::objects_over takes: "any", "upper", "lower".
bool is_objects_over_value(const std::string& v);

// requires: is_objects_over_value(n.objects_over) (else std::invalid_argument naming the value).
// ensures: the same seed and counts give the same assets, byte for byte. Thread safety: none shared.
std::vector<OccluderAsset> make_occluder_assets(uint64_t seed = 1, const AssetCounts& n = {});

}  // namespace faceocc
