// MobileFaceNet exactly as in the shipped weights (sirius-ai/MobileFaceNet_TF):
// BatchNorm already folded into every conv (each conv has a bias), PReLU
// activations, TensorFlow "SAME" padding (stride 2 pads 0 before, 1 after).
// Input: RGB NCHW float, (pixel - 127.5) / 128, 112x112. Output: raw 192-d
// embedding (not L2-normalised).
//
// Thread safety: a network that trains belongs to one thread; in eval mode under NoGradGuard forward() only reads it.
#pragma once
#include <string>
#include <vector>

#include <torch/torch.h>

namespace faceocc {

// One conv (+ optional PReLU). `tf_scope` is the name prefix of its tensors in
// the TF.js manifest, which lets the importer map every tensor by name.
class ConvUnitImpl : public torch::nn::Module {
 public:
  ConvUnitImpl(int in, int out, int kernel, int stride, bool depthwise, bool prelu, std::string tf_scope);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Conv2d conv{nullptr};
  torch::nn::PReLU act{nullptr};  // null for linear units
  int kernel, stride;
  bool depthwise;
  std::string tf_scope;
  bool valid_padding = false;   // true only for the 7x7 global depthwise conv
  bool tf_same_padding = true;  // false: symmetric padding (only to prove the test catches it)
};
TORCH_MODULE(ConvUnit);

// Inverted residual: 1x1 expand + PReLU, 3x3 depthwise + PReLU, 1x1 linear;
// identity shortcut when stride is 1 and the channel count is unchanged.
class BottleneckImpl : public torch::nn::Module {
 public:
  BottleneckImpl(int in, int out, int expansion, int stride, const std::string& tf_scope);
  torch::Tensor forward(torch::Tensor x);

  ConvUnit expand{nullptr}, depthwise{nullptr}, project{nullptr};
  bool residual;
};
TORCH_MODULE(Bottleneck);

// The three places a downstream head can tap (see OcclusionNet).
struct MobileFaceNetFeatures {
  torch::Tensor map7;    // [N,512,7,7] after the last 1x1 conv + PReLU
  torch::Tensor gdconv;  // [N,512] after the linear 7x7 global depthwise conv
  torch::Tensor embedding;  // [N,192] raw identity embedding
};

class MobileFaceNetImpl : public torch::nn::Module {
 public:
  MobileFaceNetImpl();
  torch::Tensor forward(torch::Tensor x);  // raw 192-d embedding
  MobileFaceNetFeatures features(torch::Tensor x);

  // Every conv unit in network order: what the importer fills.
  std::vector<ConvUnit> units() const;

  ConvUnit conv1{nullptr}, dw1{nullptr}, linear1{nullptr};
  torch::nn::Sequential blocks{nullptr};
  ConvUnit conv_last{nullptr}, gdconv{nullptr}, linear_512{nullptr}, linear_192{nullptr};
};
TORCH_MODULE(MobileFaceNet);

// uint8 RGB images [N,H,W,3] -> normalised float NCHW in the given memory format.
torch::Tensor preprocess_rgb_u8(const torch::Tensor& nhwc_rgb_u8,
                                torch::MemoryFormat format = torch::MemoryFormat::Contiguous);

// One-line-per-layer description and parameter count.
std::string summary(const MobileFaceNet& net);

}  // namespace faceocc
