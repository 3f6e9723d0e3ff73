// How far synthetic occlusions are from real ones. For each family that has
// a real counterpart (clean faces, masks, sunglasses, each class as a whole)
// a logistic regression on the pretrained MobileFaceNet's 512-d features tries
// to tell real aligned crops from synthetic ones of the same class; its
// K-fold cross-validated ROC AUC is the distance: 0.5 = indistinguishable,
// 1.0 = trivially told apart. Cheap: a few hundred crops per row, no training
// of the network.
//
// The real photos of a class come from other sources than the clean faces the
// generator uses (the development set's sunglasses are selfies from another
// collection), so a row against real photos also measures that difference:
// even real sunglasses cut out and pasted score about 0.98 there. Two rows
// therefore compare a drawn family with the cut-outs harvested from real
// photos, pasted by the same pipeline on the same faces ("vs cut-outs"): what
// is left is the occluder's own look.
//
// Thread safety: measure_realism uses LibTorch's intra-op threads; call it
// from one thread.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "faceocc/train/model/mobilefacenet.hpp"
#include "faceocc/train/learn/train_loop.hpp"

namespace faceocc {

struct RealismOptions {
  int per_group = 300;  // real and synthetic crops per row, each at most
  int folds = 5;
  uint64_t seed = 1;
};

struct RealismRow {
  std::string family;   // e.g. "1_0_1 masks"
  std::string reference = "real photos";  // or "cut-outs": harvested occluders on the same faces
  int real = 0, synthetic = 0;  // real = the reference side's count
  double auc = 0, auc_sd = 0;  // mean and sd over folds; rows with < 20 of either side are not scored (auc < 0)
};

// The family of a synthetic sample from its occgen manifest occluder ids
// ("mask_photo_kn95_left@s=..|hair_fringe_03@.."): the category of the
// occluder that makes its class ("masks", "sunglasses", "hair", "hands",
// "chin", "harvested"), "clean" for 0_0_0, "" when mixed or unknown.
std::string synthetic_family(int cls, const std::string& occluders);

// requires: real and synthetic hold 4-class labels; `families` one entry per
// synthetic sample (synthetic_family). net: the pretrained backbone.
std::vector<RealismRow> measure_realism(MobileFaceNet& net, const ImageSet& real, const ImageSet& synthetic,
                                        const std::vector<std::string>& families, const RealismOptions& opt = {});

// Cross-validated ROC AUC of an L2-regularised logistic regression (x: [N,D]
// float, y: 0/1). Exposed for tests.
double cross_validated_auc(const torch::Tensor& x, const std::vector<int>& y, int folds, uint64_t seed, double* sd = nullptr);

// ROC AUC of scores against 0/1 labels (ties count half).
double roc_auc(const std::vector<double>& scores, const std::vector<int>& y);

}  // namespace faceocc
