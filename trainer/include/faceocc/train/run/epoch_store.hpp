// A training run's finished epochs on disk, each committed in one step.
//
// RUN/epochs/NNN/ holds all a resume needs: model.pt (weights with their
// checksum), optimizer.pt and history.json (every epoch's metrics line and
// validation predictions so far). It is written as RUN/epochs/NNN.partial and
// renamed into place, so a kill at any instant leaves the whole epoch or none
// of it; the highest committed NNN is the last finished epoch. The training
// loop seeds every epoch from (seed, epoch), so weights + optimizer state are
// the whole state: no sampler or RNG state needs saving.
//
// Thread safety: one writer per run folder; readers see committed epochs only.
#pragma once
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "faceocc/train/model/occlusion_net.hpp"

namespace faceocc {

struct EpochHistory {
  std::vector<std::string> metrics;            // one JSON object per epoch (the lines of metrics.jsonl)
  std::vector<std::vector<int>> val_predicted;  // per epoch: the class predicted for each validation photo
};

class EpochStore {
 public:
  explicit EpochStore(std::filesystem::path run);

  // 0 when no epoch is committed.
  int last() const;
  std::filesystem::path folder(int epoch) const;
  std::filesystem::path model(int epoch) const { return folder(epoch) / "model.pt"; }
  std::filesystem::path optimizer(int epoch) const { return folder(epoch) / "optimizer.pt"; }

  // requires: history covers epochs 1..epoch; epoch == last() + 1.
  // ensures: folder(epoch) holds the model, the optimizer and the history, or
  // (killed before the rename) nothing of epoch `epoch` is visible.
  void commit(int epoch, OcclusionNet& net, torch::optim::Optimizer& opt, const EpochHistory& history) const;

  // The history saved with a committed epoch. Throws naming the file when damaged.
  EpochHistory history(int epoch) const;

  // Removes half-written epochs (a kill's leftovers) and every committed epoch
  // not in `keep` except the last. Safe to interrupt: removal never touches the last.
  void tidy(const std::set<int>& keep) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace faceocc
