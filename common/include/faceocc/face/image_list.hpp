// The files and the photos in a folder: the one walk every tool makes. OpenCV-free, so
// the capture-time check links it too.
//
// Thread safety: reads the file system only.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

// Every regular file under `dir`, recursively, sorted. Linked folders are followed (class folders
// or asset sets linked in from elsewhere are common, and a link not followed would drop their files
// without a word), each real folder once, so two links to one folder list it once and a link back up
// ends. Entries that cannot be read (an unreadable folder, a looping link) are skipped and, when
// `problems` is given, appended there as (path, why): one bad entry must not end a batch.
using FileProblems = std::vector<std::pair<std::string, std::string>>;
std::vector<std::filesystem::path> list_files(const std::filesystem::path& dir, FileProblems* problems = nullptr);

// The image files among them (.jpg .jpeg .png .webp .bmp, any case).
std::vector<std::filesystem::path> list_images(const std::filesystem::path& dir, FileProblems* problems = nullptr);

}  // namespace faceocc
