// The metadata of an ONNX model file (ModelProto.metadata_props: key/value
// strings), read without protobuf or ONNX libraries, so the OpenCV-only check
// (occcheck, an app) reads what occtrain stored there: the class order and the
// operating point (covered_threshold.hpp). OpenCV's dnn module does not expose it.
//
// Thread safety: a pure function of the file.
#pragma once
#include <filesystem>
#include <map>
#include <string>

namespace faceocc {

// requires: nothing (any file).
// ensures: the model's metadata_props, key -> value (a repeated key: the last wins).
// Throws std::runtime_error naming the file when it cannot be read or is not a
// well-formed protobuf message (truncated, a length past the end, a bad wire type).
std::map<std::string, std::string> read_onnx_metadata(const std::filesystem::path& file);

// The same, on the file's bytes; `name` is what errors call it.
std::map<std::string, std::string> parse_onnx_metadata(const std::string& bytes, const std::string& name);

}  // namespace faceocc
