#include "faceocc/real/photo_lists.hpp"

#include <fstream>

#include "faceocc/classes.hpp"

namespace faceocc {

namespace fs = std::filesystem;

std::vector<LabelledPhoto> read_photo_csv(const fs::path& csv, std::vector<std::pair<std::string, std::string>>& problems) {
  std::vector<LabelledPhoto> photos;
  std::ifstream in(csv);
  if (!in) {
    problems.push_back({csv.string(), "cannot open"});
    return photos;
  }
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // written on Windows
    if (line.empty() || line[0] == '#' || line.rfind("path,", 0) == 0) continue;
    const std::string where = csv.string() + ":" + std::to_string(line_no);
    const auto comma = line.rfind(',');
    if (comma == std::string::npos || comma == 0) {
      problems.push_back({where, "not 'path,class'"});
      continue;
    }
    const auto cls = class_from_string(line.substr(comma + 1));
    if (!cls) {
      problems.push_back({where, "unknown class '" + line.substr(comma + 1) + "' (0_0_0, 1_1_0, 1_0_1, 1_1_1 or none, upper, lower, both)"});
      continue;
    }
    photos.push_back({csv.parent_path() / line.substr(0, comma), int(*cls)});
  }
  return photos;
}

}  // namespace faceocc
