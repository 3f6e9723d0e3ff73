// Locating the real data tests run on. Missing required data is a test
// failure that says how to get it, never a silent skip.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "faceocc/cache_paths.hpp"

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

inline const char* kRunSetup = "run scripts/setup.sh (it fetches the weights and test photos)";

}  // namespace faceocc::test
