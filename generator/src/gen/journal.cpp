#include "faceocc/gen/journal.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "faceocc/classes.hpp"
#include "faceocc/manifest_csv.hpp"

namespace faceocc {

std::map<int64_t, JournalRow> read_journal(const std::filesystem::path& file) {
  std::map<int64_t, JournalRow> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("id,", 0) == 0) continue;
    const auto f = csv_split(line);
    if (f.size() != kJournalColumns || f[0].size() != 8 || !class_from_string(f[1])) continue;
    if (!std::all_of(f[0].begin(), f[0].end(), [](unsigned char c) { return std::isdigit(c); })) continue;
    const int64_t id = std::stoll(f[0]);
    rows[id] = {id, f[1], f[5], line};
  }
  return rows;
}

}  // namespace faceocc
