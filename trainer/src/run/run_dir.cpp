#include "faceocc/train/run/run_dir.hpp"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/run/json_record.hpp"

namespace faceocc {

namespace fs = std::filesystem;

std::map<std::string, std::string> read_ini(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  std::map<std::string, std::string> kv;
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find(" = ");
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string v = line.substr(eq + 3);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
    kv[line.substr(0, eq)] = v;
  }
  return kv;
}

bool RunDir::holds_run() const {
  for (const char* f : {"metrics.jsonl", "last.pt", "best.pt", "folds.json", "epochs"})
    if (fs::exists(dir_ / f)) return true;
  return false;
}

std::map<std::string, std::string> RunDir::config() const {
  if (!fs::is_regular_file(config_file()))
    throw std::runtime_error(config_file().string() + ": not found (not an occtrain run folder? it says which head best.pt has)");
  return read_ini(config_file());
}

FeatureTap RunDir::tap() const {
  const auto c = config();
  if (!c.count("tap")) throw std::runtime_error(config_file().string() + ": no 'tap = ' line");
  try {
    return parse_tap(c.at("tap"));
  } catch (const std::exception&) {
    throw std::runtime_error(config_file().string() + ": unknown tap '" + c.at("tap") + "'");
  }
}

Task RunDir::task() const {
  const auto c = config();
  const std::string t = c.count("task") ? c.at("task") : "region";  // runs from before --task were region runs
  if (auto task = task_from_string(t)) return *task;
  throw std::runtime_error(config_file().string() + ": unknown task '" + t + "'");
}

OcclusionNet RunDir::load_best(bool* verified) const {
  if (!fs::is_regular_file(best_model())) throw std::runtime_error(best_model().string() + ": not found (an occtrain run folder?)");
  // The checkpoint says which head it holds; config.ini (needed for older files) must agree.
  const auto held = checkpoint_model(best_model());
  if (held && fs::is_regular_file(config_file())) {
    const auto c = config();
    const bool tap_differs = c.count("tap") && tap() != held->tap;
    const bool task_differs = c.count("task") && task_classes(task()) != held->classes;
    if (tap_differs || task_differs)
      throw std::runtime_error(config_file().string() + " says " + (c.count("tap") ? c.at("tap") : "(no tap)") + ", task " +
                               (c.count("task") ? c.at("task") : "region") + " but " + best_model().string() + " holds a " +
                               tap_name(held->tap) + " head with " + std::to_string(held->classes) + " classes");
  }
  OcclusionNet net = held ? OcclusionNet(held->tap, held->classes) : OcclusionNet(tap(), task_classes(task()));
  const bool ok = load_checkpoint(net, best_model());
  if (verified) *verified = ok;
  net->eval();
  return net;
}

std::vector<std::string> RunDir::metrics_lines() const {
  std::vector<std::string> lines;
  std::ifstream in(metrics_file());
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  return lines;
}

std::optional<CoveredThreshold> RunDir::operating_point() const {
  const fs::path f = operating_point_file();
  const auto rec = read_json_object_if_present(f, "the run's operating point");
  if (!rec) return std::nullopt;
  const nlohmann::json& j = *rec;
  if (!j.contains("metadata") || !j["metadata"].is_object())
    throw std::runtime_error(f.string() + ": not an operating point (JSON with a \"metadata\" object)");
  std::map<std::string, std::string> meta;
  for (const auto& [k, v] : j["metadata"].items()) {
    if (!v.is_string()) throw std::runtime_error(f.string() + ": metadata '" + k + "' is not a string");
    meta[k] = v.get<std::string>();
  }
  const auto t = threshold_from_metadata(meta, f.string());
  if (!t) throw std::runtime_error(f.string() + ": metadata has no covered_threshold");
  return t;
}

double RunDir::temperature() const {
  const fs::path f = dir_ / "calibration_val.json";
  const auto rec = read_json_object_if_present(f, "the run's calibration");
  if (!rec) return 1;
  const nlohmann::json& j = *rec;
  if (!j.contains("temperature") || !j["temperature"].is_number() ||
      !(j["temperature"].get<double>() > 0) || j["temperature"].get<double>() > 1e3)
    throw std::runtime_error(f.string() + ": no temperature in (0, 1000] (not written by occtrain?)");
  return j["temperature"].get<double>();
}

}  // namespace faceocc
