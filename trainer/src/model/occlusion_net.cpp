#include "faceocc/train/model/occlusion_net.hpp"

#include <stdexcept>

namespace faceocc {

FeatureTap parse_tap(const std::string& s) {
  if (s == "gdconv") return FeatureTap::GDConv;
  if (s == "embedding") return FeatureTap::Embedding;
  if (s == "map7") return FeatureTap::Map7;
  throw std::invalid_argument("feature tap must be gdconv, embedding or map7, not '" + s + "'");
}

const char* tap_name(FeatureTap t) {
  return t == FeatureTap::GDConv ? "gdconv" : t == FeatureTap::Embedding ? "embedding" : "map7";
}

OcclusionNetImpl::OcclusionNetImpl(FeatureTap t, int n, double p) : tap(t), num_classes(n) {
  backbone = register_module("backbone", MobileFaceNet());
  dropout = register_module("dropout", torch::nn::Dropout(p));
  int64_t features = 512;
  if (tap == FeatureTap::Embedding) features = 192;
  if (tap == FeatureTap::Map7) {
    reduce = register_module("reduce", torch::nn::Conv2d(torch::nn::Conv2dOptions(512, 32, 1)));
    reduce_act = register_module("reduce_act", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(32)));
    features = 32 * 7 * 7;
  }
  fc = register_module("fc", torch::nn::Linear(features, n));
}

torch::Tensor OcclusionNetImpl::forward(torch::Tensor x) {
  const MobileFaceNetFeatures f = backbone->features(x);
  torch::Tensor h;
  switch (tap) {
    case FeatureTap::GDConv: h = f.gdconv; break;
    case FeatureTap::Embedding: h = f.embedding; break;
    case FeatureTap::Map7: h = reduce_act->forward(reduce->forward(f.map7)).flatten(1); break;
  }
  return fc->forward(dropout->forward(h));
}

std::vector<torch::Tensor> OcclusionNetImpl::backbone_parameters() { return backbone->parameters(); }

std::vector<torch::Tensor> OcclusionNetImpl::head_parameters() {
  std::vector<torch::Tensor> p = fc->parameters();
  if (reduce) {
    for (auto& t : reduce->parameters()) p.push_back(t);
    for (auto& t : reduce_act->parameters()) p.push_back(t);
  }
  return p;
}

void fold_temperature(OcclusionNet& net, double temperature) {
  if (!(temperature > 0)) throw std::invalid_argument("temperature must be > 0");
  if (temperature == 1) return;
  torch::NoGradGuard ng;
  net->fc->weight.div_(temperature);
  net->fc->bias.div_(temperature);
}

}  // namespace faceocc
