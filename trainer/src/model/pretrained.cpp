#include "faceocc/train/model/pretrained.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/train/model/tfjs_weights.hpp"
#include "faceocc/train/model/torch_archive_check.hpp"

namespace faceocc {

namespace fs = std::filesystem;

static std::string shape_str(c10::IntArrayRef s) {
  std::ostringstream os;
  os << s;
  return os.str();
}

// Constants of the graph's output L2-normalisation: not part of the network
// (faceocc returns the raw embedding), so they are known and skipped.
static bool is_outside_network(const std::string& name) { return name.rfind("embeddings/", 0) == 0; }

void assign_tfjs_weights(MobileFaceNet& net, const std::map<std::string, torch::Tensor>& tensors,
                         const std::string& source) {
  std::set<std::string> used;
  auto take = [&](const std::string& name, std::vector<int64_t> expect_tf) -> torch::Tensor {
    auto it = tensors.find(name);
    if (it == tensors.end()) throw std::runtime_error(source + ": missing tensor '" + name + "'");
    if (it->second.sizes() != c10::IntArrayRef(expect_tf))
      throw std::runtime_error(source + ": tensor '" + name + "' has shape " + shape_str(it->second.sizes()) +
                               ", the network expects " + shape_str(expect_tf));
    if (it->second.scalar_type() != torch::kFloat32)
      throw std::runtime_error(source + ": tensor '" + name + "' is not float32");
    used.insert(name);
    return it->second;
  };

  torch::NoGradGuard no_grad;
  for (ConvUnit& u : net->units()) {
    auto& w = u->conv->weight;  // torch layout [out, in/groups, kh, kw]
    const int64_t out = w.size(0), k = w.size(2);
    if (u->depthwise) {
      // TF depthwise [kh, kw, C, multiplier=1] -> [C, 1, kh, kw]
      w.copy_(take(u->tf_scope + "/depthwise_weights", {k, k, out, 1}).permute({2, 3, 0, 1}));
      u->conv->bias.copy_(take(u->tf_scope + "/depthwise_bn_offset", {out}));
    } else {
      // TF conv [kh, kw, in, out] -> [out, in, kh, kw]
      w.copy_(take(u->tf_scope + "/Conv2D_weights", {k, k, w.size(1), out}).permute({3, 2, 0, 1}));
      u->conv->bias.copy_(take(u->tf_scope + "/Conv2D_bn_offset", {out}));
    }
    if (u->act) {
      // The file stores PReLU as relu(x) - m*(x - |x|) (TF.js sign), i.e. alpha = -2m.
      u->act->weight.copy_(take(u->tf_scope + "/mul", {out}) * -2.0f);
    }
  }
  for (const auto& [name, t] : tensors)
    if (!used.count(name) && !is_outside_network(name))
      throw std::runtime_error(source + ": unexpected tensor '" + name + "' " + shape_str(t.sizes()) +
                               " (not part of MobileFaceNet)");
}

MobileFaceNet import_tfjs(const fs::path& model_json) {
  MobileFaceNet net;
  assign_tfjs_weights(net, read_tfjs_weights(model_json), model_json.string());
  net->eval();
  return net;
}

void save_model(MobileFaceNet& net, const fs::path& file) {
  write_atomic_via(file, [&](const fs::path& tmp) { torch::save(net, tmp.string()); });
}

MobileFaceNet load_model(const fs::path& file) {
  MobileFaceNet net;
  check_torch_archive(file);
  try {
    torch::load(net, file.string());
  } catch (const c10::Error& e) {
    throw std::runtime_error(file.string() + ": not a faceocc MobileFaceNet checkpoint (" + e.what_without_backtrace() + ")");
  }
  net->eval();
  return net;
}

// Content hash of a file, chained through `h`: notices changed weights.
static uint64_t hash_file(const fs::path& p, uint64_t h) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(p.string() + ": cannot open (run scripts/setup.sh to fetch the weights)");
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount()) h = fnv1a(buf, size_t(in.gcount()), h);
  return h;
}

MobileFaceNet load_pretrained(const fs::path& model_json, std::string* how) {
  uint64_t h = hash_file(model_json, kFnvBasis);
  for (const fs::path& shard : tfjs_shard_paths(model_json)) h = hash_file(shard, h);
  const fs::path cached = model_json.parent_path() / ("mobilefacenet-" + hex16(h) + ".pt");
  if (fs::exists(cached)) {
    if (how) *how = "loaded " + cached.string();
    return load_model(cached);
  }
  MobileFaceNet net = import_tfjs(model_json);
  try {
    save_model(net, cached);
    if (how) *how = "imported " + model_json.string() + ", cached as " + cached.string();
  } catch (const std::exception& e) {  // a read-only cache still works, just slower
    if (how) *how = "imported " + model_json.string() + " (cache not written: " + e.what() + ")";
  }
  return net;
}

}  // namespace faceocc
