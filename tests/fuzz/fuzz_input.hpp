// Shared by the fuzz targets: a scratch folder per process (readers take paths, so
// each input is written to a file first) and inputs made of parts.
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace faceocc::fuzz {

// Separates the parts of an input that feeds several files (e.g. an asset's JSON and its PNG).
inline const std::string kPartBreak = "\n--faceocc-part--\n";

inline std::vector<std::string> parts(const uint8_t* data, size_t size, size_t n) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> out;
  size_t from = 0;
  while (out.size() + 1 < n) {
    const size_t at = in.find(kPartBreak, from);
    if (at == std::string::npos) break;
    out.push_back(in.substr(from, at - from));
    from = at + kPartBreak.size();
  }
  out.push_back(in.substr(from));
  out.resize(n);
  return out;
}

// A folder of this process's, emptied on every call.
inline std::filesystem::path scratch(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("faceocc_fuzz_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

inline void write(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

}  // namespace faceocc::fuzz
