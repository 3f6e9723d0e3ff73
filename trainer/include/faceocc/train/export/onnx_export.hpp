// The trained classifier as a standard ONNX model, for phones (ONNX Runtime
// Mobile, OpenCV's dnn module, or a conversion to TFLite / Core ML): the
// MobileFaceNet backbone, the run's feature tap and head, the input
// normalisation and the softmax, written node by node from the C++ weights.
//
//   input  "crops": float32 [N,112,112,3], RGB, 0..255, faces aligned onto the
//          InsightFace 112x112 template (faceocc/face/align.hpp)
//   output "probabilities": float32 [N,classes], in the order of metadata "classes"
//   opset 11 (kOnnxOpset); metadata: classes, class_names, advice, tap,
//   input, alignment_template_112 (five x,y points), producer; and `extra_metadata`
//   (occtrain: the operating point and temperature, covered_threshold.hpp).
// The file passes ONNX's checker before it is renamed into place.
//
// Thread safety: reads the network; do not train it meanwhile.
#pragma once
#include <filesystem>
#include <map>
#include <string>

#include "faceocc/train/model/occlusion_net.hpp"

namespace faceocc {

constexpr int kOnnxOpset = 11;

// Throws std::runtime_error naming the file when it cannot be written or the
// checker rejects the graph.
void export_onnx(OcclusionNet& net, const std::filesystem::path& file, const std::map<std::string, std::string>& extra_metadata = {});

// Runs ONNX's checker on a file; throws std::runtime_error naming it on failure.
void check_onnx_file(const std::filesystem::path& file);

}  // namespace faceocc
