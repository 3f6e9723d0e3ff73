// Photographed hands as occluder assets: cut out of the two hand sets in
// ../shared/third_party/hands (rock-paper-scissors on a green screen, CC BY-SA
// 4.0; sign-language digits on a plain wall, Apache-2.0), picked by measured
// criteria (hand_cutout.hpp), and each given one pose as people hold a hand to
// the face:
//   covering: flat over both eyes, over one eye, over the mouth, a fist over
//   the chin, two fingers across the eyes or the mouth;
//   touching (covers "touch": a hand decoy, its class measured like any
//   occluder's): palm on a cheek, fist under the chin, hand on the forehead or
//   the temple.
// A pose is a similarity from the hand (its palm-and-fingers centre, the
// wrist-to-fingertip direction, its palm width) onto the canonical face; the
// canonical landmarks mapped back into the photo's pixels are the anchors, so
// occgen's least-squares placement reproduces the pose on every face.
// Recolour "skin_tone": toward the subject's skin, the hand's own shading kept.
//
// Thread safety: pure functions (file reads only).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "faceocc/gen/hand_cutout.hpp"
#include "faceocc/gen/occluder.hpp"

namespace faceocc {

enum class HandPose { Eyes, OneEye, Mouth, OverChin, CheekTouch, ChinRest, Forehead, Temple };
const char* hand_pose_name(HandPose p);
// "upper", "lower" or "touch": what the pose is meant for (samples are still labelled by measurement).
const char* hand_pose_covers(HandPose p);

struct HandPhotoSet {
  std::string name;          // "rps" or "sld": the asset folder is hands_<name>/
  HandBackdrop backdrop;
  std::vector<std::pair<std::string, std::map<HandPose, int>>> folders;  // sub-folder, assets per pose from it
  std::string origin, licence, notice;  // metadata of every asset; notice: the folder's licence file text
  std::string notice_file;              // its name (e.g. "LICENSE.sign_language_digits.txt")
};

// The two shipped sets and how many assets of each pose they give.
std::vector<HandPhotoSet> shipped_hand_sets(const std::filesystem::path& hands_root);

struct ImportedHands {
  std::string set;
  std::vector<OccluderAsset> assets;
  std::map<std::string, int> rejected;  // reason (without its value) -> photos
  int photos = 0, usable = 0;
};

// requires: the set's folders exist under `hands_root`.
// ensures: photos read in file-name order; usable ones taken in the order of a hash of
// their names (spread over people and sessions), each pose's quota filled in turn; an
// asset's image at most `max_side` px on its longer side; deterministic.
// throws std::runtime_error naming the folder when a folder is missing or gives too few usable hands.
ImportedHands import_hand_photos(const std::filesystem::path& hands_root, const HandPhotoSet& set, int max_side = 160);

// The pose as anchors: the canonical landmarks mapped into the cut-out's pixels.
// `jitter` in [0, 1)^4 varies angle, position and scale within the pose's range.
std::vector<Anchor> hand_pose_anchors(const HandCutout& hand, HandPose pose, const double jitter[4]);

// Writes the assets into <dir>/hands_<set>/ (save_occluder) with the set's licence file.
void save_imported_hands(const ImportedHands& h, const HandPhotoSet& set, const std::filesystem::path& dir);

}  // namespace faceocc
