#include "faceocc/check/covered_threshold.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace faceocc {

namespace {

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}

// A whole string as a finite number, or nullopt.
std::optional<double> to_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double number_in(const std::map<std::string, std::string>& meta, const std::string& key, double lo, double hi,
                 const std::string& where) {
  const auto it = meta.find(key);
  if (it == meta.end()) throw std::runtime_error(where + ": metadata '" + key + "' is missing");
  const auto v = to_number(it->second);
  if (!v || *v < lo || *v > hi)
    throw std::runtime_error(where + ": metadata '" + key + "' = '" + it->second + "' is not a number in [" + num(lo) + ", " + num(hi) + "]");
  return *v;
}

}  // namespace

std::map<std::string, std::string> threshold_metadata(const CoveredThreshold& t) {
  std::string rates;
  for (const auto& [rate, thr] : t.by_rate) rates += (rates.empty() ? "" : ",") + num(rate) + ":" + num(thr);
  return {{"covered_threshold", num(t.threshold)},
          {"covered_threshold_false_reject", num(t.false_reject)},
          {"covered_threshold_clean_faces", std::to_string(t.clean_faces)},
          {"covered_thresholds_by_false_reject", rates},
          {"temperature", num(t.temperature)}};
}

std::map<std::string, std::string> model_metadata(const std::optional<CoveredThreshold>& t, double temperature) {
  if (t) return threshold_metadata(*t);
  return {{"temperature", num(temperature)}};
}

std::optional<CoveredThreshold> threshold_from_metadata(const std::map<std::string, std::string>& meta, const std::string& where) {
  if (!meta.count("covered_threshold")) return std::nullopt;
  CoveredThreshold t;
  t.threshold = number_in(meta, "covered_threshold", 0, 1, where);
  t.false_reject = number_in(meta, "covered_threshold_false_reject", 0, 1, where);
  t.clean_faces = long(number_in(meta, "covered_threshold_clean_faces", 0, 1e12, where));
  t.temperature = meta.count("temperature") ? number_in(meta, "temperature", 1e-3, 1e3, where) : 1.0;
  const auto it = meta.find("covered_thresholds_by_false_reject");
  if (it != meta.end() && !it->second.empty()) {
    std::istringstream in(it->second);
    for (std::string pair; std::getline(in, pair, ',');) {
      const size_t colon = pair.find(':');
      const auto rate = to_number(pair.substr(0, colon)), thr = colon == std::string::npos ? std::nullopt : to_number(pair.substr(colon + 1));
      if (!rate || !thr || *rate < 0 || *rate >= 1 || *thr < 0 || *thr > 1)
        throw std::runtime_error(where + ": metadata 'covered_thresholds_by_false_reject' has '" + pair +
                                 "', not RATE:THRESHOLD with both in [0, 1)");
      t.by_rate.emplace_back(*rate, *thr);
    }
  }
  return t;
}

std::optional<CoveredThreshold> resolve_operating_point(const std::string& value, const std::optional<CoveredThreshold>& stored) {
  if (value.empty()) return stored;
  if (value == "argmax") return std::nullopt;
  if (!value.empty() && value.back() == '%') {
    const auto pct = to_number(value.substr(0, value.size() - 1));
    if (!pct || *pct <= 0 || *pct >= 100) throw std::invalid_argument("--operating-point " + value + ": a rate must be a percentage in (0, 100)");
    std::string have;
    if (stored)
      for (const auto& [rate, thr] : stored->by_rate) {
        if (std::abs(rate * 100 - *pct) < 1e-9) {
          CoveredThreshold t = *stored;
          t.threshold = thr, t.false_reject = rate;
          return t;
        }
        have += (have.empty() ? "" : ", ") + num(rate * 100) + "%";
      }
    throw std::invalid_argument("--operating-point " + value + ": the model stores no threshold for that false-reject rate (" +
                                (have.empty() ? std::string("it stores none; give a threshold such as 0.6") : "it has " + have) + ")");
  }
  const auto thr = to_number(value);
  if (!thr || *thr <= 0 || *thr >= 1)
    throw std::invalid_argument("--operating-point " + value + ": give a threshold in (0, 1), a false-reject rate such as 1%, or argmax");
  CoveredThreshold t;
  t.threshold = *thr;
  if (stored) t.temperature = stored->temperature;
  return t;
}

std::string describe(const std::optional<CoveredThreshold>& t) {
  if (!t) return "most probable class (no operating point)";
  std::string s = "covered when 1 - p(none) >= " + num(t->threshold);
  if (t->clean_faces > 0) s += " (chosen to reject at most " + num(t->false_reject * 100) + " % of " + std::to_string(t->clean_faces) + " clean validation faces)";
  else s += " (given)";
  if (t->temperature != 1) s += ", temperature " + num(t->temperature);
  return s;
}

}  // namespace faceocc
