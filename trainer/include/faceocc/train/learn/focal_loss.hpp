// Focal loss (Lin et al. 2017) for imbalanced classes:
//   FL = -alpha_y * (1 - p_y)^gamma * log p_y,   averaged over the batch,
// with optional label smoothing. gamma = 0 and alpha = 1 is cross-entropy.
//
// Thread safety: a pure function of its tensors.
#pragma once
#include <vector>

#include <torch/torch.h>

namespace faceocc {

struct FocalLossOptions {
  double gamma = 2.0;
  std::vector<double> alpha;    // per-class weight; empty = all 1
  double label_smoothing = 0.0;
};

// logits [N,C], targets [N] (int64). Returns a scalar.
torch::Tensor focal_loss(const torch::Tensor& logits, const torch::Tensor& targets, const FocalLossOptions& opt = {});

}  // namespace faceocc
