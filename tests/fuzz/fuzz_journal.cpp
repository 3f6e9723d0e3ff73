// occgen's journal.csv and manifest.csv as --resume reads them after a crash (torn lines,
// a disk that filled, a hand edit): malformed rows are dropped, the kept ones have an
// 8-digit id and a known class, and reading never throws.
#include <cstdlib>

#include "faceocc/classes.hpp"
#include "faceocc/gen/journal.hpp"
#include "faceocc/manifest_csv.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = faceocc::fuzz::scratch("journal");
  faceocc::fuzz::write(dir / "journal.csv", std::string(reinterpret_cast<const char*>(data), size));
  for (const auto& [id, row] : faceocc::read_journal(dir / "journal.csv")) {
    if (id < 0 || id > 99999999 || !faceocc::class_from_string(row.cls)) std::abort();
    (void)faceocc::occluder_ids(row.occluders);
  }
  faceocc::fuzz::write(dir / "manifest.csv", std::string(reinterpret_cast<const char*>(data), size));
  for (const auto& r : faceocc::read_manifest(dir)) (void)faceocc::occluder_ids(r.occluders);
  return 0;
}
