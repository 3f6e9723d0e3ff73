// Fingers apart: a flat hand photographed with its fingers together (the
// rock-paper-scissors "paper") made into a spread hand. The part beyond the
// knuckles is cut into four strips along the wrist-to-fingertip axis and each
// is turned outward about its own base, the outer ones most, so what is behind
// the hand shows between the fingers, as it does behind a real spread hand
// held over the eyes. The palm, the thumb's root and the arm stay as they were.
//
// Why: the photographed sets give few hands held with the fingers apart, and a
// model trained only on closed hands calls an eye seen between fingers
// "none" (the cross-source hand check, docs/occgen.md).
//
// Thread safety: pure function.
#pragma once
#include "faceocc/gen/hand_cutout.hpp"

namespace faceocc {

// requires: `hand` cut out by cut_out_hand (bgra, wrist, tip, centre, palm_width filled,
//           palm_width > 0); 0 <= spread_deg <= 30.
// ensures: the fingers fanned, the outermost strips turned by +-spread_deg and the inner ones
//          by a third of it, the palm's pixels unchanged; bgra cropped to the new alpha (+2 px,
//          as cut_out_hand crops), wrist, tip and centre moved with the crop (the hand's axis
//          and palm width unchanged, so a pose places it as it places the closed hand); the
//          hand returned unchanged when spread_deg is 0 or nothing lies beyond the knuckles.
HandCutout spread_fingers(const HandCutout& hand, double spread_deg);

}  // namespace faceocc
