// Fine-tuning loop over aligned crops held in memory: epochs planned by
// plan_epoch (class-balanced oversampling + synthetic mix), focal or
// cross-entropy loss, AdamW or SGD with per-group learning rates, warm-up +
// cosine schedule, a freeze-then-unfreeze schedule for the backbone, and
// on-the-fly augmentation. LibTorch only: builds on a bare GPU box.
//
// Thread safety: train() uses LibTorch's intra-op threads and owns the network while it runs; predict() and the batch transforms only read theirs.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "faceocc/train/learn/focal_loss.hpp"
#include "faceocc/train/learn/metrics.hpp"
#include "faceocc/train/model/occlusion_net.hpp"
#include "faceocc/train/learn/sampling.hpp"

namespace faceocc {

// Aligned 112x112 crops and their labels.
struct ImageSet {
  torch::Tensor images;              // uint8 [N,112,112,3] RGB (may be undefined when empty)
  std::vector<int> labels;
  std::vector<std::string> sources;  // source-photo key: samples sharing one never cross splits
  std::vector<std::string> paths;    // for reports
  int64_t size() const { return int64_t(labels.size()); }
  ImageSet subset(const std::vector<int64_t>& idx) const;
};

struct TrainOptions {
  int epochs = 6;
  int batch = 64;
  int64_t epoch_size = 0;           // samples per epoch; 0 = default_epoch_size (the real set + the mix on top)
  double mix = 0.3;                 // fraction of each epoch that is synthetic
  // This share of the epochs, at the end of the run (rounded: 0.33 of 6 is 2), draws real
  // photos only at the same epoch size and schedule, so a mix run (0 < mix < 1) ends on
  // the domain it is validated and used on; synthetic only (mix 1) stays synthetic.
  // 0 = the mix to the end.
  double real_only_tail = 0.33;
  double oversample_power = 0.5;    // 1 = balanced classes, 0 = natural frequencies (0.5: see configs/occtrain.ini)
  SyntheticClasses synthetic_classes = SyntheticClasses::follow_real;  // see sampling.hpp and configs/occtrain.ini
  std::string loss = "focal";       // "focal" | "ce"
  FocalLossOptions focal;           // gamma, alpha, label smoothing (ce uses only smoothing)
  std::string optimizer = "adamw";  // "adamw" | "sgd"
  double lr = 1e-3;                 // head learning rate
  double backbone_lr_scale = 0.1;   // backbone lr = lr * this
  double weight_decay = 5e-4;
  double warmup_epochs = 0.5;
  int freeze_epochs = 1;            // backbone frozen for the first epochs
  bool augment = true;
  // Seed study's occlusion-region augmentation: with this probability a sample
  // labelled upper-only or lower-only keeps its occluded half sharp and has the
  // other half suppressed (heavily blurred), so the head looks at the cover.
  // 4-class task only.
  double occlusion_region_p = 0.0;
  // Optional extra augmentation on the uint8 [N,112,112,3] RGB batch before
  // normalisation (occtrain plugs in JPEG re-compression, which needs OpenCV);
  // gets a per-step seed so runs stay reproducible.
  std::function<void(torch::Tensor& rgb_u8, uint64_t seed)> u8_augment;
  uint64_t seed = 1;
  std::string device = "cpu";
  int eval_batch = 128;
  std::string resume_optimizer;     // optimizer state to load when start_epoch > 0 ("" = none)
  std::function<void(const std::string&)> log;  // progress lines (may be empty)
};

struct EpochResult {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_accuracy = 0, seconds = 0, images_per_second = 0;
  int64_t real_samples = 0, synthetic_samples = 0;  // what the epoch drew
  Metrics val;    // empty when there is no validation set
  std::vector<int> val_predicted;  // the predicted class of each validation sample
};

// Random flip, small rotation/scale/translation, brightness/contrast and blur
// on a normalised float batch [N,3,H,W]; draws from torch's generator.
torch::Tensor augment_batch(const torch::Tensor& x);

// Occlusion-region augmentation (see TrainOptions::occlusion_region_p): rows
// above kRegionSplit x height of an aligned 112 crop are the upper (eyes/brows)
// region, the rest the lower (mouth/chin) one.
constexpr double kRegionSplit = 0.64;  // the template's nose tip (71.7 / 112)
torch::Tensor suppress_unoccluded(const torch::Tensor& x, const torch::Tensor& labels, double p);

torch::Tensor loss_for(const torch::Tensor& logits, const torch::Tensor& y, const TrainOptions& o);

// Predicted classes (and softmax probabilities if asked) for a whole set.
std::vector<int> predict(OcclusionNet& net, const ImageSet& set, int batch, const torch::Device& dev,
                         std::vector<std::vector<float>>* probs = nullptr);

// Called after each epoch with the model and its optimizer (to checkpoint them).
using EpochCallback = std::function<void(const EpochResult&, OcclusionNet&, torch::optim::Optimizer&)>;

// Samples in each epoch train() runs: opt.epoch_size when given, else default_epoch_size
// (the real set with the mix on top). Callers that describe a run (its class chart) use it too.
int64_t epoch_samples(const TrainOptions& opt, int64_t real, int64_t synthetic);

// How many of the last epochs draw real photos only (see TrainOptions::real_only_tail).
int real_only_epochs(const TrainOptions& opt);

// Trains `net` in place from epoch `start_epoch` (0-based, for resume) to
// opt.epochs; `on_epoch` runs after each epoch. Every random draw of an epoch
// (sample plan, order, augmentation) is seeded from (opt.seed, epoch), so an
// epoch's outcome depends only on the weights and optimizer state it starts
// from: resuming from a saved pair reproduces the uninterrupted run exactly
// (at the same thread count).
void train(OcclusionNet& net, const ImageSet& real, const ImageSet& synth, const ImageSet& val, const TrainOptions& opt,
           const EpochCallback& on_epoch, int start_epoch = 0);

}  // namespace faceocc
