// occtrain --exclude FILE: photos left out of training and validation after the split, so the
// photos left keep their side and runs with and without the list compare on one split. The file
// holds one path per line, or is a CSV whose first column is the path (occtrain's review.csv).
//
// Thread safety: pure functions over one file each.
#pragma once
#include <filesystem>
#include <set>
#include <string>

#include "faceocc/train/learn/train_loop.hpp"

namespace faceocc {

// One key per file, for matching an --exclude list: a photo listed through a symbolic link,
// a relative path or "../" matches the same photo loaded another way.
std::string file_key(const std::string& path);

// The file keys an --exclude file lists. Throws std::runtime_error naming the file when it
// cannot be opened.
std::set<std::string> read_exclude_list(const std::filesystem::path& file);

// `s` without the listed photos; `removed` grows by how many were left out.
ImageSet without(const ImageSet& s, const std::set<std::string>& listed, long& removed);

}  // namespace faceocc
