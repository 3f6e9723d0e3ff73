// The fixtures the suites share: locating the real data tests run on (missing required data is
// a test failure that says how to get it, never a silent skip), reading a file whole, a fresh
// scratch folder, running a tool with its output captured.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "faceocc/cache_paths.hpp"
#include "faceocc/gen/face_source.hpp"

namespace faceocc::test {

// ../shared next to the checkout ($FACEOCC_SHARED overrides).
inline std::filesystem::path shared_dir() {
  if (const char* s = std::getenv("FACEOCC_SHARED"); s && *s) return s;
  return FACEOCC_SHARED_DIR;
}

inline std::filesystem::path parity_dir() { return shared_dir() / "testdata" / "mobilefacenet"; }

// Asserts the file exists; use as ASSERT_TRUE(have(...)).
inline ::testing::AssertionResult have(const std::filesystem::path& p, const std::string& how_to_get) {
  if (std::filesystem::exists(p)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << p.string() << " is missing: " << how_to_get;
}

// A path,class CSV of the first `per_class` photos of each class of ../shared/data/dev.
inline void write_dev_csv(const std::filesystem::path& csv_file, int per_class) {
  std::ofstream csv(csv_file);
  csv << "path,class\n";
  for (const char* c : {"0_0_0", "1_1_0", "1_0_1", "1_1_1"}) {
    int n = 0;
    for (const auto& f : list_images(shared_dir() / "data" / "dev" / c))
      if (n++ < per_class) csv << f.string() << "," << c << "\n";
  }
}

// The reference embedding (192 floats) of one parity crop, by its file name in
// images.txt ("franck_01829.png"); empty when it is not listed.
inline std::vector<float> reference_embedding(const std::string& crop_name) {
  std::ifstream names(parity_dir() / "images.txt"), csv(parity_dir() / "expected_embeddings.csv");
  int row = 0;
  bool found = false;
  for (std::string n; std::getline(names, n);) {
    if (n == crop_name) { found = true; break; }
    ++row;
  }
  std::vector<float> ref;
  if (!found) return ref;
  int r = 0;
  for (std::string line; std::getline(csv, line);) {
    if (line.empty() || line[0] == '#' || r++ != row) continue;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) ref.push_back(std::stof(c));
  }
  return ref;
}

// The faces of one shipped clean photo (default_faces_dir()/name), indexed with
// the 68-point model from a copy in dir/faces (the caller removes dir).
inline FaceIndex index_shipped_photo(const std::filesystem::path& dir, const std::string& name) {
  std::filesystem::create_directories(dir / "faces");
  std::filesystem::copy_file(default_faces_dir() / name, dir / "faces" / name,
                             std::filesystem::copy_options::overwrite_existing);
  FaceIndexOptions o;
  o.shape_predictor = default_shape_predictor();
  return index_faces(dir / "faces", o);
}

inline const char* kRunSetup = "run scripts/setup.sh (it fetches the weights and test photos)";

// The file's bytes ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& f) {
  std::ifstream in(f, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// An empty folder of this test process's under the system's temporary folder (the caller removes it).
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("faceocc_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// A shell command's exit code and its output: stdout and stderr together, or stdout alone
// (stderr then goes to the test's own).
struct CommandResult {
  int code;
  std::string output;
};
inline CommandResult run_command(const std::string& cmd, bool with_stderr = true) {
  const auto log = std::filesystem::temp_directory_path() / ("faceocc_cmd_" + std::to_string(::getpid()) + ".log");
  const int rc = std::system((cmd + " > " + log.string() + (with_stderr ? " 2>&1" : "")).c_str());
  CommandResult r{WEXITSTATUS(rc), read_file(log)};
  std::filesystem::remove(log);
  return r;
}

}  // namespace faceocc::test
