// The occlusion classes, in one table: the dataset's folder names
// (occluded_upper_lower), the short names people read, and what a capture
// check tells the user. Plain C++ (no OpenCV, no LibTorch): the training core,
// the generator and every tool use it. Class ids are the table's order.
//
// Thread safety: constants and pure functions only.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace faceocc {

enum class OccClass { None = 0, Upper = 1, Lower = 2, Both = 3 };
constexpr int kNumClasses = 4;

struct ClassInfo {
  const char* folder;  // dataset folder: "0_0_0", "1_1_0", "1_0_1", "1_1_1"
  const char* name;    // "none", "upper", "lower", "both"
  const char* advice;  // what the capture check says to the user
};

inline const std::array<ClassInfo, kNumClasses>& class_table() {
  static const std::array<ClassInfo, kNumClasses> t = {{
      {"0_0_0", "none", "face fully visible: OK"},
      {"1_1_0", "upper", "your eyes look covered: move hair away from your eyes or take off sunglasses"},
      {"1_0_1", "lower", "your mouth or chin looks covered: remove the mask, scarf or hand"},
      {"1_1_1", "both", "your eyes and mouth look covered: uncover your whole face"},
  }};
  return t;
}

inline const char* class_folder(OccClass c) { return class_table()[size_t(c)].folder; }
inline const char* class_name(OccClass c) { return class_table()[size_t(c)].name; }
inline const char* class_advice(OccClass c) { return class_table()[size_t(c)].advice; }

// A folder name or a short name; nullopt for anything else.
inline std::optional<OccClass> class_from_string(const std::string& s) {
  for (int i = 0; i < kNumClasses; ++i)
    if (s == class_folder(OccClass(i)) || s == class_name(OccClass(i))) return OccClass(i);
  return std::nullopt;
}

inline bool covers_upper(int cls) { return cls == int(OccClass::Upper) || cls == int(OccClass::Both); }
inline bool covers_lower(int cls) { return cls == int(OccClass::Lower) || cls == int(OccClass::Both); }

// What a model predicts. Region: the four classes. Binary (the cascade's first
// stage): not_occluded / occluded, where every occluded class maps to 1.
enum class Task { Region, Binary };

inline std::vector<std::string> task_class_names(Task t) {
  if (t == Task::Binary) return {"not_occluded", "occluded"};
  std::vector<std::string> n;
  for (const auto& c : class_table()) n.push_back(c.folder);
  return n;
}
inline int task_classes(Task t) { return t == Task::Binary ? 2 : kNumClasses; }
inline int to_task_label(int region_label, Task t) { return t == Task::Binary ? int(region_label > 0) : region_label; }

// "region" | "binary"; nullopt otherwise. The task a model with `classes` outputs predicts.
inline std::optional<Task> task_from_string(const std::string& s) {
  if (s == "region") return Task::Region;
  if (s == "binary") return Task::Binary;
  return std::nullopt;
}
inline const char* task_string(Task t) { return t == Task::Binary ? "binary" : "region"; }
inline std::optional<Task> task_of_outputs(int classes) {
  if (classes == kNumClasses) return Task::Region;
  if (classes == 2) return Task::Binary;
  return std::nullopt;
}

}  // namespace faceocc
