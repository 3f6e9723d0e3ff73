// Metrics as JSON, one layout for every file the tools write (metrics.jsonl,
// final.json, occeval's metrics and comparisons, the nightly history).
//
// Thread safety: a pure function.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faceocc/train/learn/metrics.hpp"

namespace faceocc {

inline nlohmann::ordered_json metrics_json(const Metrics& m, const std::vector<std::string>& names) {
  nlohmann::ordered_json j;
  j["accuracy"] = m.accuracy;
  j["macro_f1"] = m.macro_f1;
  j["n"] = m.total;
  for (size_t c = 0; c < m.per_class.size(); ++c)
    j["per_class"][names.at(c)] = {{"precision", m.per_class[c].precision}, {"recall", m.per_class[c].recall},
                                   {"f1", m.per_class[c].f1}, {"support", m.per_class[c].support}};
  j["confusion"] = m.confusion;
  return j;
}

}  // namespace faceocc
