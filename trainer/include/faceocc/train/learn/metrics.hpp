// Confusion matrix and the numbers read off it.
//
// Thread safety: pure functions.
#pragma once
#include <string>
#include <vector>

namespace faceocc {

struct ClassMetrics {
  double precision = 0, recall = 0, f1 = 0;
  long support = 0;  // true samples of the class
};

struct Metrics {
  std::vector<std::vector<long>> confusion;  // [true][predicted]
  std::vector<ClassMetrics> per_class;
  double accuracy = 0, macro_f1 = 0;
  long total = 0;
};

Metrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted, int num_classes);

// Printable table, one row per true class; `names` label rows and columns.
std::string format_confusion(const Metrics& m, const std::vector<std::string>& names);

// CSV: header "true\\pred,<names...>", one row per true class.
std::string confusion_csv(const Metrics& m, const std::vector<std::string>& names);

}  // namespace faceocc
