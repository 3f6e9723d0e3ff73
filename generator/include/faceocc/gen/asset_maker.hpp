// Procedural occluders, drawn by code around the canonical face so the project
// owns every pixel: hair fringes, sunglasses, hands over the eyes or mouth,
// surgical / cloth / N95-style masks, scarves, turtlenecks, collars and hands
// under the chin. Same seed, same assets.
#pragma once
#include <cstdint>
#include <vector>

#include "faceocc/gen/occluder.hpp"

namespace faceocc {

struct AssetCounts {
  int hair = 24, glasses = 12, hand = 16, mask = 18, chin = 18;
};

std::vector<OccluderAsset> make_occluder_assets(uint64_t seed = 1, const AssetCounts& n = {});

}  // namespace faceocc
