// Photographed face masks as occluder assets: reads MaskTheFace's templates
// (RGBA photographs, six anchor points each in masks/masks.cfg) and fabric
// textures, and turns them into ordinary occluder assets: downscaled, anchored
// to dlib landmarks, warped piecewise, grouped by family with frontal / left /
// right views, origin and licence in the metadata.
//
// Anchor convention (MaskTheFace's mask_a..mask_f -> dlib 68): upper-left ->
// jaw 1, nose bridge -> 28, upper-right -> jaw 15, lower-left -> jaw 4,
// chin -> 8, lower-right -> jaw 12.
//
// Thread safety: pure functions (file reads only).
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "faceocc/gen/occluder.hpp"

namespace faceocc {

struct ImportedMasks {
  std::vector<OccluderAsset> assets;
  std::vector<std::pair<std::string, cv::Mat>> textures;  // file name (.jpg), BGR
};

// requires: `root` is a MaskTheFace checkout (masks/masks.cfg, masks/templates,
// optionally masks/textures); max_width, texture_side > 0.
// ensures: one asset per template, dyed in common mask colours half the time
// (recolor "dye"; the gas respirator keeps its own), cloth also as a
// fabric-dressed family (recolor "texture"),
// images at most max_width px wide, premultiplied resampling (no fringes).
// throws std::runtime_error naming the file on a missing or malformed entry.
ImportedMasks import_maskthefaces(const std::filesystem::path& root, int max_width = 256, int texture_side = 128);

// Writes the assets with save_occluder, the textures as <dir>/textures/*.jpg
// and the MIT licence as <dir>/LICENSE.maskthefaces.txt.
void save_imported_masks(const ImportedMasks& m, const std::filesystem::path& root, const std::filesystem::path& dir);

}  // namespace faceocc
