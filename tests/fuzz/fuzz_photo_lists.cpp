// The photo lists a user hands occtrain/occeval/occharvest: --real LIST.csv and --exclude
// FILE. Bad lines are named with their line number and never stop the rest; an --exclude
// list only ever fails as "cannot open".
#include <cstdlib>

#include "faceocc/real/photo_lists.hpp"
#include "faceocc/train/run/exclude_list.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = faceocc::fuzz::scratch("lists");
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  faceocc::fuzz::write(dir / "list.csv", bytes);
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& p : faceocc::read_photo_csv(dir / "list.csv", problems))
    if (p.label < 0 || p.label > 3) std::abort();
  for (const auto& [where, why] : problems)
    if (where.find("list.csv") == std::string::npos || why.empty()) std::abort();
  faceocc::fuzz::write(dir / "exclude.txt", bytes);
  (void)faceocc::read_exclude_list(dir / "exclude.txt");
  return 0;
}
