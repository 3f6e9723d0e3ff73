// The mean dlib 68-point face in the InsightFace 112x112 frame, measured on
// the 21 faces of the default photos (each aligned by its five points, then
// averaged). Procedural occluders are drawn around it, so their anchors are
// where those landmarks sit on an average face.
#pragma once
#include "faceocc/face/landmarks.hpp"

namespace faceocc {

const Landmarks68& canonical_face_68();

}  // namespace faceocc
