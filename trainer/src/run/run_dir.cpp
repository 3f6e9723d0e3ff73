#include "faceocc/train/run/run_dir.hpp"

#include <fstream>
#include <stdexcept>

#include "faceocc/train/model/checkpoint.hpp"

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

}  // namespace faceocc
