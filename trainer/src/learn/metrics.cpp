#include "faceocc/train/learn/metrics.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace faceocc {

Metrics compute_metrics(const std::vector<int>& truth, const std::vector<int>& pred, int C) {
  if (truth.size() != pred.size()) throw std::invalid_argument("compute_metrics: sizes differ");
  Metrics m;
  m.confusion.assign(size_t(C), std::vector<long>(size_t(C), 0));
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= C || pred[i] < 0 || pred[i] >= C) throw std::invalid_argument("compute_metrics: class out of range");
    ++m.confusion[size_t(truth[i])][size_t(pred[i])];
  }
  m.total = long(truth.size());
  long correct = 0;
  m.per_class.resize(size_t(C));
  double f1_sum = 0;
  for (int c = 0; c < C; ++c) {
    long tp = m.confusion[size_t(c)][size_t(c)], col = 0, row = 0;
    for (int k = 0; k < C; ++k) {
      col += m.confusion[size_t(k)][size_t(c)];
      row += m.confusion[size_t(c)][size_t(k)];
    }
    correct += tp;
    ClassMetrics& cm = m.per_class[size_t(c)];
    cm.support = row;
    cm.precision = col ? double(tp) / double(col) : 0.0;
    cm.recall = row ? double(tp) / double(row) : 0.0;
    cm.f1 = cm.precision + cm.recall > 0 ? 2 * cm.precision * cm.recall / (cm.precision + cm.recall) : 0.0;
    f1_sum += cm.f1;
  }
  m.accuracy = m.total ? double(correct) / double(m.total) : 0.0;
  m.macro_f1 = C ? f1_sum / C : 0.0;
  return m;
}

std::string format_confusion(const Metrics& m, const std::vector<std::string>& names) {
  std::ostringstream os;
  char b[64];
  std::snprintf(b, sizeof b, "%-12s", "true\\pred");
  os << b;
  for (const auto& n : names) { std::snprintf(b, sizeof b, "%8s", n.c_str()); os << b; }
  os << "   recall  precision    f1\n";
  for (size_t r = 0; r < m.confusion.size(); ++r) {
    std::snprintf(b, sizeof b, "%-12s", names[r].c_str());
    os << b;
    for (long v : m.confusion[r]) { std::snprintf(b, sizeof b, "%8ld", v); os << b; }
    std::snprintf(b, sizeof b, "   %6.3f  %9.3f  %5.3f\n", m.per_class[r].recall, m.per_class[r].precision, m.per_class[r].f1);
    os << b;
  }
  std::snprintf(b, sizeof b, "accuracy %.4f  macro-F1 %.4f  (n=%ld)\n", m.accuracy, m.macro_f1, m.total);
  os << b;
  return os.str();
}

std::string confusion_csv(const Metrics& m, const std::vector<std::string>& names) {
  std::ostringstream os;
  os << "true\\pred";
  for (const auto& n : names) os << "," << n;
  os << "\n";
  for (size_t r = 0; r < m.confusion.size(); ++r) {
    os << names[r];
    for (long v : m.confusion[r]) os << "," << v;
    os << "\n";
  }
  return os.str();
}

}  // namespace faceocc
