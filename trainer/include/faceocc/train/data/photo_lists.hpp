// The lists of photos a user hands occtrain, occeval and occharvest:
//   --real LIST.csv   "path,class" lines, paths relative to the CSV (a "path,..." header and
//                     '#' comments skipped); class as a folder name (1_1_0) or a name (upper);
//   --exclude FILE    one path per line, or a CSV whose first column is the path
//                     (occtrain's review.csv).
// A bad line is reported with its line number and the rest are read; nothing here opens a photo.
//
// Thread safety: pure functions over one file each.
#pragma once
#include <filesystem>
#include <set>
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

// One key per file, for matching an --exclude list: a photo listed through a symbolic link,
// a relative path or "../" matches the same photo loaded another way.
std::string file_key(const std::string& path);

// The file keys an --exclude file lists. Throws std::runtime_error naming the file when it
// cannot be opened.
std::set<std::string> read_exclude_list(const std::filesystem::path& file);

}  // namespace faceocc
