// occgen's manifest.csv, written by the generator and read by the trainer side
// (occtrain's leak check, occrealism): the CSV quoting and the "occluders" field
// in one place. Header-only and OpenCV-free, so the LibTorch-only core can use it.
//
//   id,class,source,face,flipped,occluders,upper_coverage,lower_coverage,sample_seed,attempts
//   occluders = "asset_id@s=1.000/r=0.00/...|asset_id@..."
//
// Thread safety: pure functions (read_manifest reads one file).
#pragma once
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace faceocc {

// A field as CSV writes it: quoted (quotes doubled) when it holds a comma, quote or newline.
inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The fields of one CSV line, quotes undone.
inline std::vector<std::string> csv_split(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { out.back() += '"'; ++i; }
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

// The asset ids of a manifest "occluders" field, in order.
inline std::vector<std::string> occluder_ids(const std::string& occluders) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < occluders.size()) {
    size_t bar = occluders.find('|', start);
    if (bar == std::string::npos) bar = occluders.size();
    const std::string item = occluders.substr(start, bar - start);
    if (const std::string id = item.substr(0, item.find('@')); !id.empty()) ids.push_back(id);
    start = bar + 1;
  }
  return ids;
}

struct ManifestRow {
  std::string id, cls, source, occluders;
};

// The rows of DIR/manifest.csv (header skipped); empty when there is no manifest.
inline std::vector<ManifestRow> read_manifest(const std::filesystem::path& dir) {
  std::vector<ManifestRow> rows;
  std::ifstream in(dir / "manifest.csv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("id,", 0) == 0) continue;
    const auto f = csv_split(line);
    if (f.size() >= 6) rows.push_back({f[0], f[1], f[2], f[5]});
  }
  return rows;
}

}  // namespace faceocc
