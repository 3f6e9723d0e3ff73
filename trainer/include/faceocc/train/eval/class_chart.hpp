// What the model sees, per class: how many real training, real validation and
// synthetic samples there are, and the share each class gets in an epoch after
// oversampling and mixing (real and synthetic parts). Drawn as a PNG with
// OpenCV, written atomically.
//
// Thread safety: pure; one writer per file.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace faceocc {

struct ClassCounts {
  std::vector<std::string> names;
  std::vector<long> real_train, real_validation, synthetic;  // samples available, per class
  std::vector<long> epoch_real, epoch_synthetic;             // samples drawn in one epoch, per class
};

// requires: every vector has names.size() entries. Throws std::runtime_error
// naming the file when it cannot be written.
void write_class_chart(const ClassCounts& c, const std::string& title, const std::filesystem::path& file);

}  // namespace faceocc
