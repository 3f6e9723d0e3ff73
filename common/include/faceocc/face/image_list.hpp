// The photos in a folder: what every tool walks. OpenCV-free, so the
// capture-time check links it too.
//
// Thread safety: reads the file system only.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace faceocc {

// Image files (.jpg .jpeg .png .webp .bmp, any case) under `dir`, recursively
// (linked folders followed, each real folder once), sorted. Entries that cannot be read (an unreadable folder, a looping link)
// are skipped and, when `problems` is given, reported there ("path: why").
std::vector<std::filesystem::path> list_images(const std::filesystem::path& dir, std::vector<std::string>* problems = nullptr);

}  // namespace faceocc
