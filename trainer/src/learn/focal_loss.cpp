#include "faceocc/train/learn/focal_loss.hpp"

namespace faceocc {

torch::Tensor focal_loss(const torch::Tensor& logits, const torch::Tensor& targets, const FocalLossOptions& opt) {
  TORCH_CHECK(logits.dim() == 2 && targets.dim() == 1 && logits.size(0) == targets.size(0),
              "focal_loss: logits [N,C] and targets [N] expected");
  const int64_t C = logits.size(1);
  const torch::Tensor logp = torch::log_softmax(logits, 1);  // [N,C]
  // Smoothed one-hot target distribution.
  torch::Tensor q = torch::one_hot(targets, C).to(logp.dtype());
  if (opt.label_smoothing > 0) q = q * (1.0 - opt.label_smoothing) + opt.label_smoothing / double(C);
  // Per-class focal term (1 - p_c)^gamma applied to each class's log-probability.
  torch::Tensor loss = -(q * logp);
  if (opt.gamma != 0) loss = loss * torch::pow(1.0 - logp.exp(), opt.gamma);
  if (!opt.alpha.empty()) {
    TORCH_CHECK(int64_t(opt.alpha.size()) == C, "focal_loss: alpha needs one weight per class");
    const torch::Tensor a = torch::tensor(opt.alpha, logp.options());
    loss = loss * a.unsqueeze(0);
  }
  return loss.sum(1).mean();
}

}  // namespace faceocc
