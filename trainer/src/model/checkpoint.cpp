#include "faceocc/train/model/checkpoint.hpp"

#include <stdexcept>
#include <string>

#include "faceocc/atomic_file.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/train/model/torch_archive_check.hpp"

namespace faceocc {

namespace fs = std::filesystem;

static constexpr const char* kChecksumKey = "faceocc_weights_fnv1a64";
static constexpr const char* kTapKey = "faceocc_tap";
static constexpr const char* kClassesKey = "faceocc_classes";

static std::string describe(FeatureTap tap, int classes) {
  return std::string("a ") + tap_name(tap) + " head with " + std::to_string(classes) + " classes";
}

uint64_t weights_checksum(OcclusionNet& net) {
  uint64_t h = kFnvBasis;
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    h = fnv1a(name.data(), name.size(), h);
    const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
    h = fnv1a(c.data_ptr(), size_t(c.numel()) * c.element_size(), h);
  };
  for (const auto& p : net->named_parameters()) add(p.key(), p.value());
  for (const auto& b : net->named_buffers()) add(b.key(), b.value());
  return h;
}

void save_checkpoint(OcclusionNet& net, const fs::path& file) {
  torch::serialize::OutputArchive ar;
  net->save(ar);
  const uint64_t h = weights_checksum(net);
  ar.write(kChecksumKey, torch::tensor({static_cast<int64_t>(h)}, torch::kInt64), /*is_buffer=*/true);
  ar.write(kTapKey, torch::tensor({static_cast<int64_t>(net->tap)}, torch::kInt64), /*is_buffer=*/true);
  ar.write(kClassesKey, torch::tensor({static_cast<int64_t>(net->num_classes)}, torch::kInt64), /*is_buffer=*/true);
  write_atomic_via(file, [&](const fs::path& tmp) { ar.save_to(tmp.string()); });
}

std::optional<CheckpointModel> checkpoint_model(const fs::path& file) {
  check_torch_archive(file);
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(file.string());
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw std::runtime_error(file.string() + ": not a readable checkpoint (" + what.substr(0, what.find('\n')) + ")");
  }
  torch::Tensor tap, classes;
  if (!ar.try_read(kTapKey, tap, true) || !ar.try_read(kClassesKey, classes, true)) return std::nullopt;
  const int64_t t = tap.item<int64_t>(), c = classes.item<int64_t>();
  if (t < 0 || t > int64_t(FeatureTap::Map7) || c < 2 || c > 1000)
    throw std::runtime_error(file.string() + ": damaged (tap " + std::to_string(t) + ", " + std::to_string(c) + " classes)");
  return CheckpointModel{FeatureTap(t), int(c)};
}

bool load_checkpoint(OcclusionNet& net, const fs::path& file) {
  if (const auto m = checkpoint_model(file); m && (m->tap != net->tap || m->classes != net->num_classes))
    throw std::runtime_error(file.string() + " holds " + describe(m->tap, m->classes) + ", not the " + describe(net->tap, net->num_classes).substr(2) +
                             " asked for");
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(file.string());
    net->load(ar);
  } catch (const std::exception& e) {
    const std::string what = e.what();
    throw std::runtime_error(file.string() + ": not a readable checkpoint of a " + tap_name(net->tap) + " head with " +
                             std::to_string(net->num_classes) + " classes (" + what.substr(0, what.find('\n')) + ")");
  }
  torch::Tensor saved;
  if (!ar.try_read(kChecksumKey, saved, /*is_buffer=*/true)) return false;
  if (static_cast<uint64_t>(saved.item<int64_t>()) != weights_checksum(net))
    throw std::runtime_error(file.string() + ": damaged (its weights do not match their checksum)");
  return true;
}

}  // namespace faceocc
