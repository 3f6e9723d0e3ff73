// occrealism's job as one call: load real photos and occgen output, sort the
// synthetic samples into occluder families (from their manifests), measure
// each family's distance from the real photos of its class (realism_meter.hpp)
// and write OUT/realism.md, realism.json and realism.png (a bar per row).
//
// Thread safety: uses LibTorch's intra-op threads; call from one thread.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "faceocc/train/eval/realism_meter.hpp"

namespace faceocc {

struct RealismRunOptions {
  std::vector<std::filesystem::path> real;       // ROOT/<class>/* folders or path,class CSVs
  std::vector<std::filesystem::path> synthetic;  // occgen output folders made with --aligned 112
  std::filesystem::path out = "out/realism";
  std::filesystem::path weights, cache, detector;
  int threads = 0;
  RealismOptions meter;
};

struct RealismReport {
  std::vector<RealismRow> rows;
  std::string markdown;  // the table realism.md holds
};

// Throws std::runtime_error naming the folder or file it cannot use.
RealismReport run_realism(const RealismRunOptions& o, const std::function<void(const std::string&)>& log);

}  // namespace faceocc
