// The readable record of the retraining loop and of the mix-ratio comparison:
// Markdown tables and PNG plots from the runs' files (read through RunDir).
//
// Thread safety: each call writes its own output folder; one call per folder.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace faceocc {

// One night of the retraining loop (scripts/nightly.sh).
struct NightResult {
  std::string night;                           // YYYY-MM-DD: appended once per date
  long seed = 0;
  std::filesystem::path run;                   // the challenger's occtrain run folder
  std::filesystem::path challenger_metrics;    // occeval metrics_<label>.json
  std::filesystem::path champion_metrics;      // "" on the first night
  std::filesystem::path compare;               // occeval compare.json ("" without a champion)
  bool promoted = false;
  std::string reason;
  double wall_s = 0;
};

// Appends `night` to the history (JSON lines; a night already there is not
// added again) and redraws report_dir/report.md and metrics_per_night.png.
// Returns the number of nights. Throws naming the file it cannot read or write.
int update_history(const std::filesystem::path& history, const std::filesystem::path& report_dir,
                   const std::optional<NightResult>& night, const std::function<void(const std::string&)>& log);

// Mean +- std over seeds per mix ratio of the finished runs under `cells`
// (and of their synthetic-proxy scores where present): out/mixes.md and
// out/mixes.png. Returns the Markdown. Throws when no run is finished.
std::string report_mixes(const std::filesystem::path& cells, const std::filesystem::path& out);

}  // namespace faceocc
