// The pretrained MobileFaceNet: import from the TF.js files, save and load in
// LibTorch's own format so later runs skip the import.
//
// Thread safety: the converted-weights cache is written atomically, so processes may load side by side.
#pragma once
#include <filesystem>
#include <map>
#include <string>

#include "faceocc/train/model/mobilefacenet.hpp"

namespace faceocc {

// Copies TF.js tensors into `net`, mapping every tensor by name with shape
// checks. Throws std::runtime_error naming `source` and the tensor on any
// shape mismatch, missing tensor or unexpected extra tensor.
void assign_tfjs_weights(MobileFaceNet& net, const std::map<std::string, torch::Tensor>& tensors,
                         const std::string& source);

// read_tfjs_weights + assign_tfjs_weights.
MobileFaceNet import_tfjs(const std::filesystem::path& model_json);

// LibTorch format. save_model writes a temporary name, then renames.
void save_model(MobileFaceNet& net, const std::filesystem::path& file);
MobileFaceNet load_model(const std::filesystem::path& file);

// Imports once and caches the result as <json dir>/mobilefacenet-<hash>.pt,
// where <hash> covers the manifest and shard bytes, so changed weights are
// re-imported. `how` (optional) says which path was taken.
MobileFaceNet load_pretrained(const std::filesystem::path& model_json, std::string* how = nullptr);

}  // namespace faceocc
