// Skipped inputs summarised for a log: one line with a count per reason and the first
// few files of each, instead of a line per file (the full list goes to the tool's JSON
// report). A reason's details after ':' or ' (' (a size, a score) are left out of its key.
//
//   summarise_problems({{"a.jpg", "no face found"}, {"b.jpg", "weak detection (score 0.12 < 0.30)"}, ...})
//     == "409 no face found (a.jpg, c.jpg, d.jpg, ...); 96 weak detection (b.jpg, ...)"
//
// Thread safety: pure function.
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

inline std::string problem_key(const std::string& reason) {
  return reason.substr(0, std::min(reason.find(':'), reason.find(" (")));
}

// problems: (file, reason) pairs. "" when there are none.
inline std::string summarise_problems(const std::vector<std::pair<std::string, std::string>>& problems, size_t named = 3) {
  std::map<std::string, std::vector<std::string>> by;
  for (const auto& [file, why] : problems) by[problem_key(why)].push_back(file);
  std::vector<std::pair<std::string, std::vector<std::string>>> order(by.begin(), by.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::string s;
  for (const auto& [why, files] : order) {
    s += (s.empty() ? "" : "; ") + std::to_string(files.size()) + " " + why + " (";
    for (size_t i = 0; i < std::min(named, files.size()); ++i) s += (i ? ", " : "") + files[i];
    s += files.size() > named ? ", ...)" : ")";
  }
  return s;
}

}  // namespace faceocc
