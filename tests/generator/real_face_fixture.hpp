// A fixture for tests that place occluders on a real face: the faces of one
// shipped clean photo (sample2.jpg), found and landmarked once per test suite.
#pragma once
#include <filesystem>

#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace faceocc::test {

class RealFace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(have(default_faces_dir() / "sample2.jpg", kRunSetup));
    dir_ = new std::filesystem::path(scratch_dir("real_face"));
    index_ = new FaceIndex(index_shipped_photo(*dir_, "sample2.jpg"));
    ASSERT_FALSE(index_->faces.empty());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete index_;
    dir_ = nullptr;
    index_ = nullptr;
  }
  inline static std::filesystem::path* dir_ = nullptr;
  inline static FaceIndex* index_ = nullptr;
};

}  // namespace faceocc::test
