#include "faceocc/train/eval/realism_meter.hpp"

#include "faceocc/classes.hpp"
#include "faceocc/manifest_csv.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>


namespace faceocc {

namespace {

// Which family an occluder id belongs to, by the shipped naming convention.
std::string category_of(const std::string& id) {
  auto starts = [&](const char* p) { return id.rfind(p, 0) == 0; };
  if (starts("harvest_lower_")) return "harvested:lower";
  if (starts("harvest_upper_")) return "harvested";
  if (starts("mask")) return "masks";
  if (starts("sunglasses")) return "sunglasses";
  if (starts("hair")) return "hair";
  if (starts("hand_chin") || starts("scarf") || starts("turtleneck")) return "chin";
  // Photographed hands: "hand_photo_<set>_<pose>_..."; the touching poses cover neither region.
  for (const char* pose : {"_cheek_", "_chin_rest_", "_forehead_", "_temple_"})
    if (starts("hand_photo_") && id.find(pose) != std::string::npos) return "";
  if (starts("hand_photo_") && (id.find("_mouth_") != std::string::npos || id.find("_over_chin_") != std::string::npos))
    return "hands:lower";
  if (starts("hand")) return "hands";
  if (starts("eyeglasses")) return "";  // worn on any class: says nothing about the class
  return "?";
}

bool is_lower(const std::string& c) { return c == "masks" || c == "chin" || c == "hands:lower" || c == "harvested:lower"; }

torch::Tensor features(MobileFaceNet& net, const torch::Tensor& images_u8) {
  torch::NoGradGuard ng;
  net->eval();
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < images_u8.size(0); i += 64) {
    const torch::Tensor x = preprocess_rgb_u8(images_u8.slice(0, i, std::min(images_u8.size(0), i + 64)),
                                              torch::MemoryFormat::ChannelsLast);
    out.push_back(net->features(x).gdconv.to(torch::kFloat).contiguous());
  }
  return torch::cat(out, 0);
}

}  // namespace

std::string synthetic_family(int cls, const std::string& occluders) {
  if (cls == 0) return "clean";
  std::vector<std::string> cats;
  for (const std::string& id : occluder_ids(occluders)) {
    std::string c = category_of(id);
    if (c == "hands") c = id.rfind("hand_mouth", 0) == 0 ? "hands:lower" : "hands";
    if (!c.empty()) cats.push_back(c);
  }
  // The occluder that makes the class: a lower one for 1_0_1, an upper one for 1_1_0.
  std::string fam;
  for (const auto& c : cats) {
    const bool lower = is_lower(c);
    if ((cls == int(OccClass::Lower) && lower) || (cls == int(OccClass::Upper) && !lower)) {
      const std::string name = c.substr(0, c.find(':'));  // "hands:lower" -> "hands"
      if (!fam.empty() && fam != name) return "";
      fam = name;
    }
  }
  return cls == 3 ? "" : fam;
}

double roc_auc(const std::vector<double>& s, const std::vector<int>& y) {
  std::vector<size_t> idx(s.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return s[a] < s[b]; });
  double rank_sum = 0;
  long pos = 0, neg = 0;
  for (size_t i = 0; i < idx.size();) {  // average ranks over ties
    size_t j = i;
    while (j < idx.size() && s[idx[j]] == s[idx[i]]) ++j;
    const double r = 0.5 * double(i + 1 + j);
    for (size_t k = i; k < j; ++k)
      if (y[idx[k]]) rank_sum += r, ++pos;
      else ++neg;
    i = j;
  }
  if (pos == 0 || neg == 0) return 0.5;
  return (rank_sum - 0.5 * double(pos) * double(pos + 1)) / (double(pos) * double(neg));
}

double cross_validated_auc(const torch::Tensor& x, const std::vector<int>& y, int folds, uint64_t seed, double* sd) {
  const int64_t n = x.size(0);
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<double> aucs;
  for (int f = 0; f < folds; ++f) {
    std::vector<int64_t> tr, te;
    for (int64_t i = 0; i < n; ++i) (i % folds == f ? te : tr).push_back(order[size_t(i)]);
    const torch::Tensor ti = torch::tensor(tr), vi = torch::tensor(te);
    torch::Tensor xt = x.index_select(0, ti), xv = x.index_select(0, vi);
    const torch::Tensor mu = xt.mean(0), sigma = xt.std(0).clamp_min(1e-6);
    xt = (xt - mu) / sigma;
    xv = (xv - mu) / sigma;
    std::vector<float> yt;
    for (int64_t i : tr) yt.push_back(float(y[size_t(i)]));
    const torch::Tensor target = torch::tensor(yt);
    torch::Tensor w = torch::zeros({x.size(1)}, torch::requires_grad()), b = torch::zeros({1}, torch::requires_grad());
    torch::optim::LBFGS opt({w, b}, torch::optim::LBFGSOptions(1.0).max_iter(100).line_search_fn("strong_wolfe"));
    const double lambda = 1e-2;  // ridge: a few hundred samples against 512 features
    auto closure = [&] {
      opt.zero_grad();
      const torch::Tensor logits = torch::mv(xt, w) + b;
      torch::Tensor loss = torch::binary_cross_entropy_with_logits(logits, target) + lambda * w.pow(2).sum();
      loss.backward();
      return loss;
    };
    opt.step(closure);
    torch::NoGradGuard ng;
    const torch::Tensor score = (torch::mv(xv, w) + b).contiguous();
    std::vector<double> s(score.data_ptr<float>(), score.data_ptr<float>() + score.numel());
    std::vector<int> yv;
    for (int64_t i : te) yv.push_back(y[size_t(i)]);
    aucs.push_back(roc_auc(s, yv));
  }
  const double mean = std::accumulate(aucs.begin(), aucs.end(), 0.0) / double(aucs.size());
  if (sd) {
    double v = 0;
    for (double a : aucs) v += (a - mean) * (a - mean);
    *sd = aucs.size() > 1 ? std::sqrt(v / double(aucs.size() - 1)) : 0;
  }
  return mean;
}

std::vector<RealismRow> measure_realism(MobileFaceNet& net, const ImageSet& real, const ImageSet& synthetic,
                                        const std::vector<std::string>& families, const RealismOptions& opt) {
  TORCH_CHECK(int64_t(families.size()) == synthetic.size(), "measure_realism: one family per synthetic sample");
  struct Spec { int cls; std::string family; bool vs_cutouts = false; };  // "" = the whole class
  const std::vector<Spec> specs{{0, "clean"}, {1, ""},      {1, "sunglasses"}, {1, "harvested"}, {1, "hair"},
                                {1, "hands"}, {2, ""},      {2, "masks"},      {2, "harvested"}, {2, "chin"},
                                {2, "hands"}, {3, ""},      {1, "sunglasses", true}, {2, "masks", true}};
  std::mt19937_64 rng(opt.seed);
  auto take = [&](std::vector<int64_t> idx) {
    std::shuffle(idx.begin(), idx.end(), rng);
    if (int(idx.size()) > opt.per_group) idx.resize(size_t(opt.per_group));
    std::sort(idx.begin(), idx.end());
    return idx;
  };
  std::vector<RealismRow> rows;
  for (const Spec& sp : specs) {
    std::vector<int64_t> r, s;
    const ImageSet& ref = sp.vs_cutouts ? synthetic : real;
    for (int64_t i = 0; i < ref.size(); ++i)
      if (ref.labels[size_t(i)] == sp.cls && (!sp.vs_cutouts || families[size_t(i)] == "harvested")) r.push_back(i);
    for (int64_t i = 0; i < synthetic.size(); ++i)
      if (synthetic.labels[size_t(i)] == sp.cls && (sp.family.empty() || families[size_t(i)] == sp.family)) s.push_back(i);
    RealismRow row;
    row.family = std::string(class_folder(OccClass(sp.cls))) + " " + (sp.family.empty() ? "all" : sp.family) +
                 (sp.vs_cutouts ? " vs cut-outs" : "");
    if (sp.vs_cutouts) row.reference = "cut-outs";
    r = take(r);
    s = take(s);
    row.real = int(r.size());
    row.synthetic = int(s.size());
    row.auc = -1;
    if (row.real >= 20 && row.synthetic >= 20) {
      const torch::Tensor fr = features(net, ref.images.index_select(0, torch::tensor(r)));
      const torch::Tensor fs = features(net, synthetic.images.index_select(0, torch::tensor(s)));
      std::vector<int> y(r.size(), 0);
      y.insert(y.end(), s.size(), 1);
      row.auc = cross_validated_auc(torch::cat({fr, fs}, 0), y, opt.folds, opt.seed, &row.auc_sd);
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace faceocc
