// The occlusion classifier: the pretrained MobileFaceNet backbone and a new
// head on one of its feature taps.
//   gdconv    : the 512-d global depthwise conv output -> dropout -> linear
//   embedding : the 192-d identity embedding -> dropout -> linear (trained to
//               ignore appearance: expected to be the weakest tap)
//   map7      : the 7x7x512 map -> 1x1 conv to 32 + PReLU -> flatten (keeps
//               *where* on the face: upper rows vs lower rows) -> linear
//
// Thread safety: a network that trains belongs to one thread; in eval mode under NoGradGuard forward() only reads it.
#pragma once
#include <string>

#include "faceocc/train/model/mobilefacenet.hpp"

namespace faceocc {

enum class FeatureTap { GDConv, Embedding, Map7 };
FeatureTap parse_tap(const std::string& s);  // "gdconv" | "embedding" | "map7"
const char* tap_name(FeatureTap t);

class OcclusionNetImpl : public torch::nn::Module {
 public:
  OcclusionNetImpl(FeatureTap tap, int num_classes, double dropout = 0.2);
  torch::Tensor forward(torch::Tensor x);  // logits [N, num_classes]

  std::vector<torch::Tensor> backbone_parameters();
  std::vector<torch::Tensor> head_parameters();

  FeatureTap tap;
  int num_classes;
  MobileFaceNet backbone;
  torch::nn::Conv2d reduce{nullptr};  // map7 only
  torch::nn::PReLU reduce_act{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(OcclusionNet);

// Calibration folded into the weights: the head's logits divided by `temperature`
// (its last linear layer scaled by 1 / temperature), so every export of the network
// gives the calibrated probabilities. Argmax is unchanged.
// requires: temperature > 0. Not thread-safe: changes the network.
void fold_temperature(OcclusionNet& net, double temperature);

}  // namespace faceocc
