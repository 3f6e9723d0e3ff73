// A confusion matrix as a picture: cells shaded by row-normalised share, with counts.
//
// Thread safety: pure apart from the file it writes (atomically); safe from several threads for different files.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "faceocc/train/learn/metrics.hpp"

namespace faceocc {

// Writes via a temporary name; returns false if the file cannot be written.
bool write_confusion_png(const Metrics& m, const std::vector<std::string>& names, const std::string& title,
                         const std::filesystem::path& file);

}  // namespace faceocc
