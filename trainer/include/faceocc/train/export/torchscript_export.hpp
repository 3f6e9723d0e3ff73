// Export of a trained OcclusionNet as TorchScript, so an app can run it with
// LibTorch (or PyTorch Mobile) and none of this code:
//   input : uint8 [N,112,112,3] RGB (an aligned crop, as occgen/occtrain make them)
//   output: float [N,C] class probabilities (softmax)
// The forward is written out as TorchScript source over the trained tensors.
//
// Thread safety: reads the network (do not train it meanwhile); the file is written atomically.
#pragma once
#include <filesystem>

#include "faceocc/train/model/occlusion_net.hpp"

namespace faceocc {

void export_torchscript(OcclusionNet& net, const std::filesystem::path& file);

}  // namespace faceocc
