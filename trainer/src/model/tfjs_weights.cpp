#include "faceocc/train/model/tfjs_weights.hpp"

#include <fstream>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace faceocc {

namespace fs = std::filesystem;

static std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(p.string() + ": cannot open");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

static nlohmann::json read_manifest(const fs::path& json_path) {
  const std::string where = json_path.string();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_file(json_path));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(where + ": not valid JSON (" + e.what() + ")");
  }
  if (!doc.contains("weightsManifest") || !doc["weightsManifest"].is_array())
    throw std::runtime_error(where + ": no weightsManifest array (not a TF.js model.json)");
  return doc;
}

std::vector<fs::path> tfjs_shard_paths(const fs::path& json_path) {
  std::vector<fs::path> out;
  // The manifest must outlive the loop: a range-for over a member of a temporary reads freed memory
  // (the temporary dies before the loop body; AddressSanitizer found it).
  const nlohmann::json doc = read_manifest(json_path);
  for (const auto& group : doc["weightsManifest"])
    for (const auto& shard : group.at("paths")) out.push_back(json_path.parent_path() / shard.get<std::string>());
  return out;
}

std::map<std::string, torch::Tensor> read_tfjs_weights(const fs::path& json_path) {
  const std::string where = json_path.string();
  const nlohmann::json doc = read_manifest(json_path);

  std::map<std::string, torch::Tensor> out;
  for (const auto& group : doc["weightsManifest"]) {
    // A group's shards are one byte stream cut into files.
    std::string bytes;
    for (const auto& shard : group.at("paths")) bytes += read_file(json_path.parent_path() / shard.get<std::string>());
    size_t offset = 0;
    for (const auto& w : group.at("weights")) {
      const std::string name = w.at("name").get<std::string>();
      const std::string dtype = w.at("dtype").get<std::string>();
      if (w.contains("quantization"))
        throw std::runtime_error(where + ": tensor '" + name + "' is quantized; only float32/int32 weights are supported");
      torch::ScalarType type;
      if (dtype == "float32") type = torch::kFloat32;
      else if (dtype == "int32") type = torch::kInt32;
      else throw std::runtime_error(where + ": tensor '" + name + "' has unsupported dtype " + dtype);
      std::vector<int64_t> shape = w.at("shape").get<std::vector<int64_t>>();
      int64_t count = 1;
      for (int64_t d : shape) count *= d;
      const size_t nbytes = size_t(count) * 4;
      if (offset + nbytes > bytes.size())
        throw std::runtime_error(where + ": weight shards end inside tensor '" + name + "' (have " +
                                 std::to_string(bytes.size()) + " bytes, need " + std::to_string(offset + nbytes) + ")");
      if (out.count(name)) throw std::runtime_error(where + ": tensor '" + name + "' listed twice");
      torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(type));
      std::memcpy(t.data_ptr(), bytes.data() + offset, nbytes);  // TF.js shards are little-endian, as is x86/ARM
      out.emplace(name, t);
      offset += nbytes;
    }
    if (offset != bytes.size())
      throw std::runtime_error(where + ": weight shards hold " + std::to_string(bytes.size() - offset) +
                               " bytes more than the manifest declares");
  }
  return out;
}

}  // namespace faceocc
