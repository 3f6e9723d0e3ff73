// The photo lists a user hands occgen, occtrain, occeval and occharvest as --real LIST.csv: "path,class"
// lines, paths relative to the CSV (a "path,..." header and '#' comments skipped), the class as a
// folder name (1_1_0) or a name (upper). A bad line is reported with its line number and the rest
// are read; nothing here opens a photo. (occtrain --exclude lists: trainer run/exclude_list.hpp.)
//
// Thread safety: pure functions over one file each.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

struct LabelledPhoto {
  std::filesystem::path path;
  int label = 0;  // class index (classes.hpp)
};

// ensures: the well-formed lines as photos; each bad line as (CSV:line, why) in `problems`;
// an unreadable file as (CSV, "cannot open").
std::vector<LabelledPhoto> read_photo_csv(const std::filesystem::path& csv,
                                          std::vector<std::pair<std::string, std::string>>& problems);

}  // namespace faceocc
