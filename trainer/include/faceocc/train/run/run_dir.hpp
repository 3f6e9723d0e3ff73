// An occtrain run folder, read one way by every tool: its settings
// (config.ini), which model it holds (head tap, task), its checkpoints and
// exported model, its per-epoch metrics. Reading only; occtrain's
// run_training writes it.
//
//   RUN/config.ini            "key = value" lines: the options the run was started with
//   RUN/best.pt, last.pt      checkpoints (weights + checksum)
//   RUN/model.torchscript.pt  the best model exported (uint8 crops in, probabilities out)
//   RUN/metrics.jsonl         one line per finished epoch
//   RUN/epochs/NNN/           committed epochs (see epoch_store.hpp)
//
// Thread safety: const methods read files; safe from several threads.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "faceocc/check/covered_threshold.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/train/model/occlusion_net.hpp"

namespace faceocc {

// "key = value" lines (comments and blank lines skipped, trailing blanks
// trimmed). Throws std::runtime_error naming the file when it cannot be read.
std::map<std::string, std::string> read_ini(const std::filesystem::path& file);

class RunDir {
 public:
  explicit RunDir(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }

  std::filesystem::path config_file() const { return dir_ / "config.ini"; }
  std::filesystem::path best_model() const { return dir_ / "best.pt"; }
  std::filesystem::path last_model() const { return dir_ / "last.pt"; }
  std::filesystem::path exported_model() const { return dir_ / "model.torchscript.pt"; }
  std::filesystem::path metrics_file() const { return dir_ / "metrics.jsonl"; }

  // True when the folder holds a run's results (what a new run must not overwrite).
  bool holds_run() const;

  // The run's settings. Throws naming config.ini when it is missing.
  std::map<std::string, std::string> config() const;
  // The head and task the checkpoints have, from config.ini. Throws naming the
  // file when it does not say (guessing a head would load garbage).
  FeatureTap tap() const;
  Task task() const;

  // best.pt loaded into a network of the head it holds (older files: the head
  // config.ini names), checksum checked. Throws naming the file when absent,
  // damaged, or when config.ini and the checkpoint disagree.
  // `verified` (if given) is false for a checkpoint written before checksums.
  OcclusionNet load_best(bool* verified = nullptr) const;

  // operating_point.json's threshold and temperature (covered_threshold.hpp); nullopt when the
  // run has none (trained before operating points, or not finished). Throws naming the file
  // when it is malformed.
  std::optional<CoveredThreshold> operating_point() const;
  std::filesystem::path operating_point_file() const { return dir_ / "operating_point.json"; }
  // The temperature the exported models fold in (calibration_val.json; 1 when the run has none).
  // Throws naming the file when it is malformed.
  double temperature() const;

  // The lines of metrics.jsonl (finished epochs, in order).
  std::vector<std::string> metrics_lines() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace faceocc
