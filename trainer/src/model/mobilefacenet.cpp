#include "faceocc/train/model/mobilefacenet.hpp"

#include <sstream>

namespace faceocc {

namespace F = torch::nn::functional;

ConvUnitImpl::ConvUnitImpl(int in, int out, int k, int s, bool dw, bool prelu, std::string scope)
    : kernel(k), stride(s), depthwise(dw), tf_scope(std::move(scope)) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k)
                                                        .stride(s).padding(0).bias(true)
                                                        .groups(dw ? in : 1)));
  if (prelu) act = register_module("act", torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(out)));
}

// TensorFlow "SAME": total padding = max((ceil(n/s)-1)*s + k - n, 0), the odd
// pixel goes after. For k=3, s=2 on even sizes that is (0, 1), not (1, 1).
static std::pair<int64_t, int64_t> same_pad(int64_t n, int k, int s) {
  const int64_t out = (n + s - 1) / s;
  const int64_t total = std::max<int64_t>((out - 1) * s + k - n, 0);
  return {total / 2, total - total / 2};
}

torch::Tensor ConvUnitImpl::forward(torch::Tensor x) {
  if (kernel > 1 && !valid_padding) {
    int64_t top, bottom, left, right;
    if (tf_same_padding) {
      std::tie(top, bottom) = same_pad(x.size(2), kernel, stride);
      std::tie(left, right) = same_pad(x.size(3), kernel, stride);
    } else {
      top = bottom = left = right = kernel / 2;
    }
    x = F::pad(x, F::PadFuncOptions({left, right, top, bottom}));
  }
  x = conv->forward(x);
  return act ? act->forward(x) : x;
}

BottleneckImpl::BottleneckImpl(int in, int out, int t, int s, const std::string& scope)
    : residual(s == 1 && in == out) {
  expand = register_module("expand", ConvUnit(in, in * t, 1, 1, false, true, scope + "/Conv"));
  depthwise = register_module("depthwise", ConvUnit(in * t, in * t, 3, s, true, true, scope + "/SeparableConv2d"));
  project = register_module("project", ConvUnit(in * t, out, 1, 1, false, false, scope + "/Conv_1"));
}

torch::Tensor BottleneckImpl::forward(torch::Tensor x) {
  torch::Tensor y = project->forward(depthwise->forward(expand->forward(x)));
  return residual ? x + y : y;
}

MobileFaceNetImpl::MobileFaceNetImpl() {
  const std::string root = "MobileFaceNet/MobileFaceNet/";
  conv1 = register_module("conv1", ConvUnit(3, 64, 3, 2, false, true, root + "Conv2d_0"));
  dw1 = register_module("dw1", ConvUnit(64, 64, 3, 1, true, true, root + "SeparableConv2d"));
  linear1 = register_module("linear1", ConvUnit(64, 64, 1, 1, false, false, root + "Conv"));
  // (out channels, expansion, stride, repeats) with the TF stage index.
  struct Stage { int out, t, s, n, tf_index; };
  const Stage stages[] = {{64, 2, 2, 5, 2}, {128, 4, 2, 1, 3}, {128, 2, 1, 6, 4}, {128, 4, 2, 1, 5}, {128, 2, 1, 2, 6}};
  blocks = register_module("blocks", torch::nn::Sequential());
  int in = 64;
  for (const Stage& st : stages) {
    for (int i = 0; i < st.n; ++i) {
      const std::string scope = root + "Conv2d_" + std::to_string(st.tf_index) + "_InvResBlock_" + std::to_string(i);
      blocks->push_back(Bottleneck(in, st.out, st.t, i == 0 ? st.s : 1, scope));
      in = st.out;
    }
  }
  conv_last = register_module("conv_last", ConvUnit(128, 512, 1, 1, false, true, root + "Conv2d_7"));
  gdconv = register_module("gdconv", ConvUnit(512, 512, 7, 1, true, false, "MobileFaceNet/Logits/SeparableConv2d"));
  gdconv->valid_padding = true;  // global depthwise conv: 7x7 -> 1x1
  linear_512 = register_module("linear_512", ConvUnit(512, 512, 1, 1, false, false, "MobileFaceNet/Logits/Conv"));
  linear_192 = register_module("linear_192", ConvUnit(512, 192, 1, 1, false, false, "MobileFaceNet/Logits/LinearConv1x1"));
}

MobileFaceNetFeatures MobileFaceNetImpl::features(torch::Tensor x) {
  x = linear1->forward(dw1->forward(conv1->forward(x)));
  x = blocks->forward(x);
  MobileFaceNetFeatures f;
  f.map7 = conv_last->forward(x);
  const torch::Tensor g = gdconv->forward(f.map7);
  f.gdconv = g.flatten(1);
  f.embedding = linear_192->forward(linear_512->forward(g)).flatten(1);
  return f;
}

torch::Tensor MobileFaceNetImpl::forward(torch::Tensor x) { return features(std::move(x)).embedding; }

std::vector<ConvUnit> MobileFaceNetImpl::units() const {
  std::vector<ConvUnit> u{conv1, dw1, linear1};
  for (const auto& m : *blocks) {
    auto b = std::dynamic_pointer_cast<BottleneckImpl>(m.ptr());
    u.push_back(b->expand);
    u.push_back(b->depthwise);
    u.push_back(b->project);
  }
  for (const ConvUnit& c : {conv_last, gdconv, linear_512, linear_192}) u.push_back(c);
  return u;
}

torch::Tensor preprocess_rgb_u8(const torch::Tensor& img, torch::MemoryFormat format) {
  TORCH_CHECK(img.dim() == 4 && img.size(3) == 3 && img.scalar_type() == torch::kUInt8,
              "preprocess_rgb_u8: expected uint8 [N,H,W,3], got ", img.sizes(), " ", img.scalar_type());
  return img.permute({0, 3, 1, 2}).to(torch::kFloat).sub(127.5).div(128.0).contiguous(format);
}

std::string summary(const MobileFaceNet& net) {
  std::ostringstream os;
  int64_t total = 0;
  for (const ConvUnit& u : net->units()) {
    const auto& w = u->conv->weight;
    int64_t n = w.numel() + u->conv->bias.numel() + (u->act ? u->act->weight.numel() : 0);
    total += n;
    os << "  " << u->tf_scope << "  " << (u->depthwise ? "dw" : "conv") << u->kernel << "x" << u->kernel
       << " s" << u->stride << " " << w.size(1) * (u->depthwise ? w.size(0) : 1) << "->" << w.size(0)
       << (u->act ? " +PReLU" : "") << "  params=" << n << "\n";
  }
  os << "  total parameters: " << total << "\n";
  return os.str();
}

}  // namespace faceocc
