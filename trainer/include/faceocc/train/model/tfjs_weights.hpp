// Reader for TensorFlow.js weights: the `weightsManifest` of a model.json and
// the binary shard files it names, read directly in C++ (no TF, no Python).
//
// Thread safety: reads files only; safe from several threads.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace faceocc {

// Tensor name -> tensor in the manifest's own (TF) layout and dtype.
// Throws std::runtime_error naming the file (and tensor) on a malformed
// manifest, an unsupported dtype, or shards shorter or longer than declared.
std::map<std::string, torch::Tensor> read_tfjs_weights(const std::filesystem::path& model_json);

// The shard files a model.json names, in stream order.
std::vector<std::filesystem::path> tfjs_shard_paths(const std::filesystem::path& model_json);

}  // namespace faceocc
