#include "faceocc/train/run/exclude_list.hpp"

#include <fstream>
#include <stdexcept>

#include "faceocc/manifest_csv.hpp"

namespace faceocc {

namespace fs = std::filesystem;

std::string file_key(const std::string& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p).lexically_normal().string() : c.string();
}

std::set<std::string> read_exclude_list(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open the --exclude list");
  std::set<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string p = line.find(',') == std::string::npos ? line : csv_split(line).front();
    if (p == "path" || p.empty()) continue;
    paths.insert(file_key(p));
  }
  return paths;
}

ImageSet without(const ImageSet& s, const std::set<std::string>& listed, long& removed) {
  if (listed.empty()) return s;
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < s.size(); ++i)
    if (!listed.count(file_key(s.paths[size_t(i)]))) keep.push_back(i);
  removed += long(s.size()) - long(keep.size());
  return s.subset(keep);
}

}  // namespace faceocc
