// A contact sheet of the occluder library by family: one row per family
// (photographed masks, sunglasses, hair, hands, chin covers, eyeglasses, cut-outs
// harvested from real photos), each asset placed on a clean face exactly on its
// anchors, as occgen would (light, blur, views by yaw), without jitter. For the
// README and for looking at a harvest.
//
// Thread safety: pure (reads nothing, writes `file` atomically).
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/occluder.hpp"

namespace faceocc {

// Rows: (label, id prefixes). An asset joins the first row whose prefix starts its id.
using FamilyRows = std::vector<std::pair<std::string, std::vector<std::string>>>;
const FamilyRows& default_family_rows();

// requires: faces non-empty. Up to `per_row` assets per row (spread over the
// family), tiles of `tile` px (112: the aligned crops' size; the sheet stays under 2 MiB). Returns the number of rows drawn.
int write_family_sheet(const OccluderLibrary& lib, const std::vector<FaceSource>& faces, const FamilyRows& rows,
                       const std::filesystem::path& file, int per_row = 8, int tile = 112);

}  // namespace faceocc
