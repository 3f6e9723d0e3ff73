// Focal loss against hand-computed values, and gamma = 0 against LibTorch's cross-entropy.
#include <cmath>

#include <gtest/gtest.h>

#include "faceocc/train/learn/focal_loss.hpp"

namespace faceocc {
namespace {

namespace F = torch::nn::functional;

TEST(FocalLoss, HandComputedValue) {
  const torch::Tensor logits = torch::tensor({{2.0f, 0.0f, 0.0f, 0.0f}});
  const torch::Tensor y = torch::tensor({int64_t(0)});
  const double p = std::exp(2.0) / (std::exp(2.0) + 3.0);  // 0.711235
  const double ce = -std::log(p);
  FocalLossOptions o;
  o.gamma = 2.0;
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(), (1 - p) * (1 - p) * ce, 1e-6);
  o.alpha = {0.5, 1, 1, 1};
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(), 0.5 * (1 - p) * (1 - p) * ce, 1e-6);
  o.alpha.clear();
  o.gamma = 0;
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(), ce, 1e-6);
}

TEST(FocalLoss, GammaZeroEqualsCrossEntropy) {
  torch::manual_seed(3);
  const torch::Tensor logits = torch::randn({64, 4}) * 3;
  const torch::Tensor y = torch::randint(0, 4, {64}, torch::kLong);
  FocalLossOptions o;
  o.gamma = 0;
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(), F::cross_entropy(logits, y).item<double>(), 1e-5);
  o.label_smoothing = 0.1;
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(),
              F::cross_entropy(logits, y, F::CrossEntropyFuncOptions().label_smoothing(0.1)).item<double>(), 1e-5);
  o.label_smoothing = 0;
  o.alpha = {1, 2, 3, 4};
  EXPECT_NEAR(focal_loss(logits, y, o).item<double>(),
              F::cross_entropy(logits, y, F::CrossEntropyFuncOptions().weight(torch::tensor({1.f, 2.f, 3.f, 4.f}))
                                              .reduction(torch::kNone)).mean().item<double>(), 1e-5);
}

TEST(FocalLoss, DownWeightsEasyExamples) {
  const torch::Tensor easy = torch::tensor({{8.0f, 0.0f, 0.0f, 0.0f}}), hard = torch::tensor({{0.5f, 0.0f, 0.0f, 0.0f}});
  const torch::Tensor y = torch::tensor({int64_t(0)});
  FocalLossOptions fl, ce;
  ce.gamma = 0;
  const double ratio_easy = focal_loss(easy, y, fl).item<double>() / focal_loss(easy, y, ce).item<double>();
  const double ratio_hard = focal_loss(hard, y, fl).item<double>() / focal_loss(hard, y, ce).item<double>();
  EXPECT_LT(ratio_easy, 1e-5);
  EXPECT_GT(ratio_hard, 0.3);
}

}  // namespace
}  // namespace faceocc
