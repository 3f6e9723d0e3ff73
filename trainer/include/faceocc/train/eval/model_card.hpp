// A model card per run (MODEL_CARD.md): what an app team needs before shipping
// the model, gathered from the run folder's own records: the real data (sources,
// counts per class, split), the synthetic data (occgen settings, occluder
// families, their licences), the validation metrics per class with Wilson
// intervals, the most common confusions, calibration, the operating point with
// its measured false rejects and catch rates, and intended use and limits.
//
// Thread safety: reads the run folder, writes one file (atomically); one call per run.
#pragma once
#include <filesystem>
#include <string>

namespace faceocc {

// requires: a finished occtrain run folder (config.ini, data.json, final.json; the
// calibration, operating point and occgen summaries are used when present).
// ensures: writes <run>/MODEL_CARD.md and returns its text; a record that is absent
// is said to be absent, never guessed. Throws std::runtime_error naming the file
// when a record is present but malformed.
std::string write_model_card(const std::filesystem::path& run);

}  // namespace faceocc
