// An occluder asset as a user drops it into --occluders: its JSON, its PNG and a fabric
// (three parts of the input). load_occluders never throws for a bad asset: it rejects it
// by name with a reason, and what it keeps passed every check (anchors, numbers, image).
#include <cmath>
#include <cstdlib>

#include "faceocc/gen/occluder.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  const auto p = faceocc::fuzz::parts(data, size, 3);
  const fs::path dir = faceocc::fuzz::scratch("occluder");
  faceocc::fuzz::write(dir / "asset.json", p[0]);
  faceocc::fuzz::write(dir / "asset.png", p[1]);
  if (!p[2].empty()) {
    fs::create_directories(dir / "textures");
    faceocc::fuzz::write(dir / "textures" / "fabric.jpg", p[2]);
  }
  const faceocc::OccluderLibrary lib = faceocc::load_occluders(dir);
  for (const auto& [file, why] : lib.rejected)
    if (file.empty() || why.empty()) std::abort();
  for (const auto& a : lib.assets) {
    if (a.bgra.type() != CV_8UC4 || a.anchors.size() < 3) std::abort();
    for (const auto& an : a.anchors)
      if (an.landmark < 0 || an.landmark > 67 || !std::isfinite(an.at.x) || !std::isfinite(an.at.y)) std::abort();
  }
  return 0;
}
