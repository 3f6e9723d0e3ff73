#include "faceocc/train/learn/train_loop.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "faceocc/classes.hpp"
#include "faceocc/train/learn/sampling.hpp"
#include "faceocc/train/model/torch_archive_check.hpp"

namespace faceocc {

namespace F = torch::nn::functional;
using Clock = std::chrono::steady_clock;

ImageSet ImageSet::subset(const std::vector<int64_t>& idx) const {
  ImageSet s;
  if (idx.empty()) return s;
  s.images = images.index_select(0, torch::tensor(idx, torch::kLong));
  for (int64_t i : idx) {
    s.labels.push_back(labels[size_t(i)]);
    s.sources.push_back(sources.empty() ? "" : sources[size_t(i)]);
    s.paths.push_back(paths.empty() ? "" : paths[size_t(i)]);
  }
  return s;
}

torch::Tensor augment_batch(const torch::Tensor& x) {
  const int64_t n = x.size(0);
  const auto opts = x.options();
  // Flip half the batch (upper/lower labels are unchanged by a mirror).
  const torch::Tensor flip = torch::rand({n}, opts) < 0.5;
  torch::Tensor y = torch::where(flip.view({n, 1, 1, 1}), x.flip(3), x);
  // Small similarity transform: +-10 deg, scale 0.9..1.1, shift +-6 %.
  const torch::Tensor ang = (torch::rand({n}, opts) * 2 - 1) * (10.0 * M_PI / 180.0);
  const torch::Tensor sc = 1.0 + (torch::rand({n}, opts) * 2 - 1) * 0.1;
  const torch::Tensor tx = (torch::rand({n}, opts) * 2 - 1) * 0.12, ty = (torch::rand({n}, opts) * 2 - 1) * 0.12;
  const torch::Tensor c = torch::cos(ang) / sc, s = torch::sin(ang) / sc;
  const torch::Tensor theta = torch::stack({torch::stack({c, -s, tx}, 1), torch::stack({s, c, ty}, 1)}, 1);  // [n,2,3]
  const torch::Tensor grid = F::affine_grid(theta, y.sizes().vec(), false);
  y = F::grid_sample(y, grid, F::GridSampleFuncOptions().padding_mode(torch::kBorder).align_corners(false));
  // Brightness and contrast (inputs are (p - 127.5) / 128).
  const torch::Tensor contrast = 0.8 + torch::rand({n, 1, 1, 1}, opts) * 0.4;
  const torch::Tensor bright = (torch::rand({n, 1, 1, 1}, opts) * 2 - 1) * 0.2;
  y = y * contrast + bright;
  // Blur a third of the batch with a 3x3 Gaussian.
  const torch::Tensor k1 = torch::tensor({0.25f, 0.5f, 0.25f}, opts);
  const torch::Tensor k = (k1.view({3, 1}) * k1.view({1, 3})).expand({3, 1, 3, 3}).contiguous();
  const torch::Tensor blurred = F::conv2d(F::pad(y, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate)), k,
                                          F::Conv2dFuncOptions().groups(3));
  const torch::Tensor blur = torch::rand({n}, opts) < 0.33;
  return torch::where(blur.view({n, 1, 1, 1}), blurred, y).contiguous(x.suggest_memory_format());
}

torch::Tensor suppress_unoccluded(const torch::Tensor& x, const torch::Tensor& labels, double p) {
  const int64_t n = x.size(0), h = x.size(2);
  const auto opts = x.options();
  const int64_t split = int64_t(std::lround(kRegionSplit * double(h)));
  // Upper-only keeps the top, lower-only the bottom; none/both are left alone.
  const torch::Tensor pick = (torch::rand({n}, opts) < p).to(labels.device());
  const torch::Tensor up = pick & labels.eq(int(OccClass::Upper)), low = pick & labels.eq(int(OccClass::Lower));
  if (!(up | low).any().item<bool>()) return x;
  // "Suppressed": a strong blur (two 9x9 box filters) keeps overall tone but no detail.
  namespace F = torch::nn::functional;
  torch::Tensor soft = x;
  for (int k = 0; k < 2; ++k)
    soft = F::avg_pool2d(F::pad(soft, F::PadFuncOptions({4, 4, 4, 4}).mode(torch::kReplicate)),
                         F::AvgPool2dFuncOptions(9).stride(1));
  const torch::Tensor rows = torch::arange(h, opts.dtype(torch::kLong)).view({1, 1, h, 1});
  const torch::Tensor top = rows < split;                               // [1,1,h,1]
  const torch::Tensor keep = torch::where(up.view({n, 1, 1, 1}), top,   // upper: keep the top rows
                             torch::where(low.view({n, 1, 1, 1}), ~top, torch::ones_like(top)));
  return torch::where(keep, x, soft).contiguous(x.suggest_memory_format());
}

torch::Tensor loss_for(const torch::Tensor& logits, const torch::Tensor& y, const TrainOptions& o) {
  if (o.loss == "ce") {
    FocalLossOptions ce;
    ce.gamma = 0;
    ce.label_smoothing = o.focal.label_smoothing;
    return focal_loss(logits, y, ce);
  }
  return focal_loss(logits, y, o.focal);
}

std::vector<int> predict(OcclusionNet& net, const ImageSet& set, int batch, const torch::Device& dev,
                         std::vector<std::vector<float>>* probs) {
  std::vector<int> out;
  if (set.size() == 0) return out;
  torch::NoGradGuard ng;
  const bool was_training = net->is_training();
  net->eval();
  for (int64_t i = 0; i < set.size(); i += batch) {
    const torch::Tensor x = preprocess_rgb_u8(set.images.slice(0, i, std::min(set.size(), i + batch)),
                                              torch::MemoryFormat::ChannelsLast).to(dev);
    const torch::Tensor p = torch::softmax(net->forward(x), 1).cpu();
    const torch::Tensor arg = p.argmax(1);
    for (int64_t k = 0; k < p.size(0); ++k) {
      out.push_back(int(arg[k].item<int64_t>()));
      if (probs) {
        const float* d = p[k].contiguous().data_ptr<float>();
        probs->emplace_back(d, d + p.size(1));
      }
    }
  }
  net->train(was_training);
  return out;
}

int64_t epoch_samples(const TrainOptions& o, int64_t real, int64_t synthetic) {
  return o.epoch_size > 0 ? o.epoch_size : default_epoch_size(real, synthetic, o.mix);
}

int real_only_epochs(const TrainOptions& o) {
  return o.mix > 0 && o.mix < 1 ? int(std::lround(o.real_only_tail * o.epochs)) : 0;
}

void train(OcclusionNet& net, const ImageSet& real, const ImageSet& synth, const ImageSet& val, const TrainOptions& o,
           const EpochCallback& on_epoch, int start_epoch) {
  const torch::Device dev(o.device);
  net->to(dev);
  for (auto& p : net->parameters())
    if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
  const int64_t epoch_size = epoch_samples(o, real.size(), synth.size());
  if (epoch_size == 0) throw std::invalid_argument("train: no training data");
  const int64_t steps_per_epoch = (epoch_size + o.batch - 1) / o.batch;
  const double total_steps = double(steps_per_epoch * o.epochs), warm = o.warmup_epochs * double(steps_per_epoch);
  const double backbone_scale = o.backbone_lr_scale;

  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(net->head_parameters());
  groups.emplace_back(net->backbone_parameters());
  std::unique_ptr<torch::optim::Optimizer> opt;
  if (o.optimizer == "sgd")
    opt = std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(o.lr).momentum(0.9).weight_decay(o.weight_decay).nesterov(true));
  else if (o.optimizer == "adamw")
    opt = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay));
  else
    throw std::invalid_argument("optimizer must be adamw or sgd");
  auto set_lr = [&](double lr) {
    auto& g = opt->param_groups();
    for (size_t k = 0; k < g.size(); ++k) {
      const double v = k == 0 ? lr : lr * backbone_scale;
      if (o.optimizer == "sgd") static_cast<torch::optim::SGDOptions&>(g[k].options()).lr(v);
      else static_cast<torch::optim::AdamWOptions&>(g[k].options()).lr(v);
    }
  };

  if (start_epoch > 0 && !o.resume_optimizer.empty()) {
    check_torch_archive(o.resume_optimizer);
    torch::load(*opt, o.resume_optimizer);  // Optimizer::load is virtual: no per-type branch
  }

  for (int epoch = start_epoch; epoch < o.epochs; ++epoch) {
    const bool frozen = epoch < o.freeze_epochs;
    for (auto& p : net->backbone_parameters()) p.set_requires_grad(!frozen);
    net->train();
    const bool real_only = epoch >= o.epochs - real_only_epochs(o);
    const EpochPlan plan = plan_epoch(real.labels, synth.labels, net->num_classes, real_only ? 0.0 : o.mix, epoch_size,
                                      o.oversample_power, o.seed * 1000003ull + uint64_t(epoch), o.synthetic_classes);
    if (o.log && real_only && synth.size() > 0)
      o.log("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(o.epochs) + ": real photos only (the last " +
            std::to_string(real_only_epochs(o)) + " of " + std::to_string(o.epochs) + ", --real-only-tail)");
    // The epoch's samples, interleaved real/synthetic in a seeded order.
    std::vector<std::pair<int, int64_t>> order;  // (0 real | 1 synthetic, index)
    for (int64_t i : plan.real) order.push_back({0, i});
    for (int64_t i : plan.synthetic) order.push_back({1, i});
    torch::manual_seed(o.seed * 7919ull + uint64_t(epoch));
    const torch::Tensor perm = torch::randperm(int64_t(order.size()), torch::kLong);
    const int64_t* shuffled = perm.data_ptr<int64_t>();
    double loss_sum = 0;
    int64_t correct = 0, seen = 0;
    const auto t0 = Clock::now();
    for (int64_t b = 0; b < int64_t(order.size()); b += o.batch) {
      const int64_t e = std::min<int64_t>(int64_t(order.size()), b + o.batch);
      std::vector<int64_t> ri, si;
      std::vector<int64_t> ys;
      for (int64_t k = b; k < e; ++k) {
        const auto& [which, idx] = order[size_t(shuffled[k])];
        (which ? si : ri).push_back(idx);
      }
      std::vector<torch::Tensor> parts;
      if (!ri.empty()) parts.push_back(real.images.index_select(0, torch::tensor(ri, torch::kLong)));
      if (!si.empty()) parts.push_back(synth.images.index_select(0, torch::tensor(si, torch::kLong)));
      for (int64_t i : ri) ys.push_back(real.labels[size_t(i)]);
      for (int64_t i : si) ys.push_back(synth.labels[size_t(i)]);
      torch::Tensor u8 = torch::cat(parts, 0);
      const uint64_t step_seed = o.seed * 2654435761ull + uint64_t(epoch) * 1000003ull + uint64_t(b);
      if (o.augment && o.u8_augment) o.u8_augment(u8, step_seed);
      torch::Tensor x = preprocess_rgb_u8(u8, torch::MemoryFormat::ChannelsLast).to(dev);
      const torch::Tensor y = torch::tensor(ys, torch::kLong).to(dev);
      if (o.augment) x = augment_batch(x);
      if (o.augment && o.occlusion_region_p > 0 && net->num_classes == 4) x = suppress_unoccluded(x, y, o.occlusion_region_p);
      const double step = double(epoch * steps_per_epoch + b / o.batch);
      set_lr(step < warm ? o.lr * (step + 1) / warm
                         : o.lr * 0.5 * (1 + std::cos(M_PI * (step - warm) / std::max(1.0, total_steps - warm))));
      opt->zero_grad();
      const torch::Tensor logits = net->forward(x);
      const torch::Tensor loss = loss_for(logits, y, o);
      loss.backward();
      opt->step();
      loss_sum += loss.item<double>() * double(e - b);
      correct += logits.argmax(1).eq(y).sum().item<int64_t>();
      seen += e - b;
      if (o.log && (b / o.batch) % 10 == 0) {
        const double el = std::chrono::duration<double>(Clock::now() - t0).count();
        char msg[200];
        std::snprintf(msg, sizeof msg, "epoch %d/%d  step %lld/%lld  loss %.4f  acc %.3f  %.1f img/s  ETA %.0fs%s",
                      epoch + 1, o.epochs, (long long)(b / o.batch + 1), (long long)steps_per_epoch, loss_sum / double(seen),
                      double(correct) / double(seen), double(seen) / std::max(1e-9, el),
                      el / double(seen) * double(int64_t(order.size()) - seen), frozen ? "  (backbone frozen)" : "");
        o.log(msg);
      }
    }
    EpochResult r;
    r.epoch = epoch + 1;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.train_loss = loss_sum / double(std::max<int64_t>(1, seen));
    r.train_accuracy = double(correct) / double(std::max<int64_t>(1, seen));
    r.images_per_second = double(seen) / std::max(1e-9, r.seconds);
    r.real_samples = int64_t(plan.real.size()), r.synthetic_samples = int64_t(plan.synthetic.size());
    if (val.size() > 0) {
      r.val_predicted = predict(net, val, o.eval_batch, dev);
      r.val = compute_metrics(val.labels, r.val_predicted, net->num_classes);
    }
    on_epoch(r, net, *opt);
  }
}

}  // namespace faceocc
