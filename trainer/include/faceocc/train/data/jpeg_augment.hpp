// JPEG re-compression as a training augmentation: phone uploads arrive
// re-encoded, often hard, so the classifier should not depend on fine texture.
//
// Thread safety: touches only the tensor it is given; its draws come from the seed, not from shared state.
#pragma once
#include <cstdint>

#include <torch/torch.h>

namespace faceocc {

struct JpegAugmentOptions {
  double p = 0.3;        // share of the batch re-encoded
  int min_quality = 30;  // quality drawn uniformly in [min, max]
  int max_quality = 90;
};

// Re-encodes a random share of a uint8 [N,H,W,3] RGB batch in place; the
// choices depend only on `seed`.
void jpeg_recompress(torch::Tensor& rgb_u8, uint64_t seed, const JpegAugmentOptions& opt);

}  // namespace faceocc
