#include "faceocc/train/export/torchscript_export.hpp"

#include <sstream>

#include <torch/script.h>

#include "faceocc/atomic_file.hpp"

namespace faceocc {

void export_torchscript(OcclusionNet& net, const std::filesystem::path& file) {
  torch::NoGradGuard ng;
  net->eval();
  net->to(torch::kCPU);
  torch::jit::Module m("FaceoccOcclusionNet");
  std::ostringstream src;
  src << "def forward(self, img):\n"
      << "    x = (img.permute(0, 3, 1, 2).float() - 127.5) / 128.0\n";
  int n = 0;
  int64_t size = 112;  // the exported model is for 112x112 crops: TF "SAME" pads follow from it
  auto unit = [&](ConvUnit& u, const std::string& in, const std::string& out) {
    const std::string w = "w" + std::to_string(n), b = "b" + std::to_string(n), a = "a" + std::to_string(n);
    m.register_parameter(w, u->conv->weight.detach().contiguous().clone(), false);
    m.register_parameter(b, u->conv->bias.detach().clone(), false);
    std::string x = in;
    if (u->kernel > 1 && !u->valid_padding) {
      const int64_t o = (size + u->stride - 1) / u->stride, total = std::max<int64_t>((o - 1) * u->stride + u->kernel - size, 0);
      const int64_t lo = total / 2, hi = total - lo;
      src << "    " << out << " = torch.constant_pad_nd(" << x << ", [" << lo << ", " << hi << ", " << lo << ", " << hi
          << "], 0.0)\n";
      x = out;
    }
    const int64_t groups = u->depthwise ? u->conv->weight.size(0) : 1;
    src << "    " << out << " = torch.conv2d(" << x << ", self." << w << ", self." << b << ", [" << u->stride << ", "
        << u->stride << "], [0, 0], [1, 1], " << groups << ")\n";
    if (u->act) {
      m.register_parameter(a, u->act->weight.detach().clone(), false);
      src << "    " << out << " = torch.prelu(" << out << ", self." << a << ")\n";
    }
    size = u->valid_padding ? size - u->kernel + 1 : (size + u->stride - 1) / u->stride;
    ++n;
  };
  MobileFaceNet& bb = net->backbone;
  unit(bb->conv1, "x", "x");
  unit(bb->dw1, "x", "x");
  unit(bb->linear1, "x", "x");
  for (const auto& mod : *bb->blocks) {
    auto b = std::dynamic_pointer_cast<BottleneckImpl>(mod.ptr());
    unit(b->expand, "x", "y");
    unit(b->depthwise, "y", "y");
    unit(b->project, "y", "y");
    src << "    x = " << (b->residual ? "x + y" : "y") << "\n";
  }
  unit(bb->conv_last, "x", "x");
  switch (net->tap) {
    case FeatureTap::GDConv:
      unit(bb->gdconv, "x", "x");
      src << "    h = torch.flatten(x, 1)\n";
      break;
    case FeatureTap::Embedding:
      unit(bb->gdconv, "x", "x");
      unit(bb->linear_512, "x", "x");
      unit(bb->linear_192, "x", "x");
      src << "    h = torch.flatten(x, 1)\n";
      break;
    case FeatureTap::Map7:
      m.register_parameter("rw", net->reduce->weight.detach().clone(), false);
      m.register_parameter("rb", net->reduce->bias.detach().clone(), false);
      m.register_parameter("ra", net->reduce_act->weight.detach().clone(), false);
      src << "    x = torch.prelu(torch.conv2d(x, self.rw, self.rb), self.ra)\n"
          << "    h = torch.flatten(x, 1)\n";
      break;
  }
  m.register_parameter("fcw", net->fc->weight.detach().clone(), false);
  m.register_parameter("fcb", net->fc->bias.detach().clone(), false);
  src << "    return torch.softmax(torch.linear(h, self.fcw, self.fcb), 1)\n";
  m.define(src.str());
  write_atomic_via(file, [&](const std::filesystem::path& tmp) { m.save(tmp.string()); });
}

}  // namespace faceocc
