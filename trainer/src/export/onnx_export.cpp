#include "faceocc/train/export/onnx_export.hpp"

#include <cstdio>
#include <sstream>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/face/align.hpp"

namespace faceocc {

namespace {

// Builds the graph: each add_* appends nodes and initialisers and returns the output name.
class GraphWriter {
 public:
  explicit GraphWriter(onnx::GraphProto* g) : g_(g) {}

  std::string initializer(const torch::Tensor& t, const std::string& hint, const std::vector<int64_t>& shape = {}) {
    const torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    onnx::TensorProto* p = g_->add_initializer();
    const std::string name = hint + "_" + std::to_string(n_++);
    p->set_name(name);
    p->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape.empty() ? c.sizes().vec() : shape) p->add_dims(d);
    p->set_raw_data(std::string(static_cast<const char*>(c.data_ptr()), size_t(c.numel()) * sizeof(float)));
    return name;
  }

  std::string node(const std::string& op, const std::vector<std::string>& in,
                   const std::function<void(onnx::NodeProto*)>& attrs = {}) {
    onnx::NodeProto* nd = g_->add_node();
    nd->set_op_type(op);
    const std::string out = op + "_" + std::to_string(n_++);
    nd->set_name(out);
    for (const auto& i : in) nd->add_input(i);
    nd->add_output(out);
    if (attrs) attrs(nd);
    return out;
  }

  static void ints(onnx::NodeProto* nd, const std::string& name, const std::vector<int64_t>& v) {
    onnx::AttributeProto* a = nd->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void integer(onnx::NodeProto* nd, const std::string& name, int64_t v) {
    onnx::AttributeProto* a = nd->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }

  // One conv unit, with TensorFlow "SAME" padding as asymmetric pads for a
  // `size` x `size` input (the exported model is for 112x112 crops).
  std::string conv(ConvUnit& u, const std::string& x, int64_t& size) {
    const torch::Tensor w = u->conv->weight;
    const int64_t groups = u->depthwise ? w.size(0) : 1;
    int64_t lo = 0, hi = 0;
    if (u->kernel > 1 && !u->valid_padding) {
      const int64_t o = (size + u->stride - 1) / u->stride, total = std::max<int64_t>((o - 1) * u->stride + u->kernel - size, 0);
      lo = total / 2, hi = total - lo;
    }
    std::string y = node("Conv", {x, initializer(w, "w"), initializer(u->conv->bias, "b")}, [&](onnx::NodeProto* nd) {
      ints(nd, "kernel_shape", {u->kernel, u->kernel});
      ints(nd, "strides", {u->stride, u->stride});
      ints(nd, "pads", {lo, lo, hi, hi});
      integer(nd, "group", groups);
    });
    if (u->act) y = prelu(u->act->weight, y);
    size = u->valid_padding ? size - u->kernel + 1 : (size + u->stride - 1) / u->stride;
    return y;
  }

  // PReLU with one slope per channel, shaped [C,1,1] to broadcast over NCHW.
  std::string prelu(const torch::Tensor& slope, const std::string& x) {
    return node("PRelu", {x, initializer(slope, "a", {slope.numel(), 1, 1})});
  }

 private:
  onnx::GraphProto* g_;
  int n_ = 0;
};

void value_info(onnx::ValueInfoProto* v, const std::string& name, const std::vector<std::string>& dims,
                const std::vector<int64_t>& sizes) {
  v->set_name(name);
  onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (size_t i = 0; i < sizes.size(); ++i) {
    auto* d = t->mutable_shape()->add_dim();
    if (!dims[i].empty()) d->set_dim_param(dims[i]);
    else d->set_dim_value(sizes[i]);
  }
}

void meta(onnx::ModelProto& m, const std::string& key, const std::string& value) {
  auto* p = m.add_metadata_props();
  p->set_key(key);
  p->set_value(value);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

void export_onnx(OcclusionNet& net, const std::filesystem::path& file, const std::map<std::string, std::string>& extra_metadata) {
  torch::NoGradGuard ng;
  net->eval();
  net->to(torch::kCPU);
  onnx::ModelProto model;
  model.set_ir_version(6);  // the IR of opset 11
  model.set_producer_name("faceocc");
  model.set_model_version(1);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto* g = model.mutable_graph();
  g->set_name("faceocc_occlusion");
  GraphWriter w(g);
  value_info(g->add_input(), "crops", {"N", "", "", ""}, {0, 112, 112, 3});

  // (RGB - 127.5) / 128 in NCHW, as preprocess_rgb_u8 does.
  std::string x = w.node("Transpose", {"crops"}, [](onnx::NodeProto* nd) { GraphWriter::ints(nd, "perm", {0, 3, 1, 2}); });
  x = w.node("Sub", {x, w.initializer(torch::tensor({127.5f}), "mean", {1})});
  x = w.node("Mul", {x, w.initializer(torch::tensor({1.0f / 128.0f}), "scale", {1})});
  int64_t size = 112;
  MobileFaceNet& bb = net->backbone;
  x = w.conv(bb->conv1, x, size);
  x = w.conv(bb->dw1, x, size);
  x = w.conv(bb->linear1, x, size);
  for (const auto& mod : *bb->blocks) {
    auto b = std::dynamic_pointer_cast<BottleneckImpl>(mod.ptr());
    std::string y = w.conv(b->expand, x, size);
    y = w.conv(b->depthwise, y, size);
    y = w.conv(b->project, y, size);
    x = b->residual ? w.node("Add", {x, y}) : y;
  }
  x = w.conv(bb->conv_last, x, size);
  switch (net->tap) {
    case FeatureTap::GDConv:
      x = w.conv(bb->gdconv, x, size);
      break;
    case FeatureTap::Embedding:
      x = w.conv(bb->gdconv, x, size);
      x = w.conv(bb->linear_512, x, size);
      x = w.conv(bb->linear_192, x, size);
      break;
    case FeatureTap::Map7: {
      const torch::Tensor rw = net->reduce->weight;
      x = w.node("Conv", {x, w.initializer(rw, "rw"), w.initializer(net->reduce->bias, "rb")},
                 [](onnx::NodeProto* nd) { GraphWriter::ints(nd, "kernel_shape", {1, 1}); });
      x = w.prelu(net->reduce_act->weight, x);
      break;
    }
  }
  x = w.node("Flatten", {x}, [](onnx::NodeProto* nd) { GraphWriter::integer(nd, "axis", 1); });
  x = w.node("Gemm", {x, w.initializer(net->fc->weight, "fcw"), w.initializer(net->fc->bias, "fcb")},
             [](onnx::NodeProto* nd) { GraphWriter::integer(nd, "transB", 1); });
  x = w.node("Softmax", {x}, [](onnx::NodeProto* nd) { GraphWriter::integer(nd, "axis", 1); });
  onnx::NodeProto* id = g->add_node();  // a fixed output name
  id->set_op_type("Identity");
  id->set_name("probabilities");
  id->add_input(x);
  id->add_output("probabilities");
  value_info(g->add_output(), "probabilities", {"N", ""}, {0, net->num_classes});

  const Task task = net->num_classes == 2 ? Task::Binary : Task::Region;
  meta(model, "classes", joined(task_class_names(task)));
  if (task == Task::Region) {
    std::vector<std::string> names, advice;
    for (const auto& c : class_table()) names.push_back(c.name), advice.push_back(c.advice);
    meta(model, "class_names", joined(names));
    std::string a;
    for (const auto& s : advice) a += (a.empty() ? "" : "|") + s;
    meta(model, "advice", a);
  }
  meta(model, "tap", tap_name(net->tap));
  meta(model, "input", "float32 [N,112,112,3] RGB 0..255, faces aligned onto the InsightFace 112x112 template");
  std::ostringstream t;
  for (const auto& p : insightface_template_112()) t << (t.tellp() > 0 ? ";" : "") << p.x << "," << p.y;
  meta(model, "alignment_template_112", t.str() + " (eye image-left, eye image-right, nose tip, mouth corner left, mouth corner right)");
  meta(model, "producer", "faceocc occtrain");
  for (const auto& [k, v] : extra_metadata) meta(model, k, v);
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": the ONNX checker rejects the graph (" + std::string(e.what()).substr(0, 300) + ")");
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw std::runtime_error(file.string() + ": cannot serialise the ONNX model");
  write_text_or_throw(file, bytes);
}

void check_onnx_file(const std::filesystem::path& file) {
  try {
    onnx::checker::check_model(file.string());
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": not a valid ONNX model (" + std::string(e.what()).substr(0, 300) + ")");
  }
}

}  // namespace faceocc
