// The mean dlib 68-point face in the InsightFace 112x112 frame, measured on
// the 21 faces of the default photos (each aligned by its five points, then
// averaged). Procedural occluders are drawn around it, so their anchors are
// where those landmarks sit on an average face.
#pragma once
#include <vector>

#include "faceocc/face/landmarks.hpp"

namespace faceocc {

const Landmarks68& canonical_face_68();

// The landmarks an asset made around the canonical face is anchored by: for
// what covers the eyes, the jaw ends, brows, nose bridge and eyes; for what
// covers mouth and chin, the jaw, nose and mouth. Drawn assets and the cut-outs
// harvested from real photos use the same sets.
const std::vector<int>& upper_anchor_landmarks();
const std::vector<int>& lower_anchor_landmarks();

}  // namespace faceocc
