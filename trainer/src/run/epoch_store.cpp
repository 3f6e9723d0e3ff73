#include "faceocc/train/run/epoch_store.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/model/checkpoint.hpp"

namespace faceocc {

namespace fs = std::filesystem;

EpochStore::EpochStore(fs::path run) : dir_(std::move(run) / "epochs") {}

fs::path EpochStore::folder(int epoch) const {
  char b[16];
  std::snprintf(b, sizeof b, "%03d", epoch);
  return dir_ / b;
}

// A committed epoch's folder name: digits only ("007"), never "007.partial".
static int epoch_of(const fs::path& p) {
  const std::string n = p.filename().string();
  if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6) return 0;
  return std::stoi(n);
}

int EpochStore::last() const {
  int last = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory()) last = std::max(last, epoch_of(it->path()));
  return last;
}

void EpochStore::commit(int epoch, OcclusionNet& net, torch::optim::Optimizer& opt, const EpochHistory& h) const {
  if (epoch != last() + 1) throw std::logic_error("EpochStore::commit: epoch " + std::to_string(epoch) + " after " + std::to_string(last()));
  if (int(h.metrics.size()) != epoch || int(h.val_predicted.size()) != epoch)
    throw std::logic_error("EpochStore::commit: the history must cover every epoch up to this one");
  const fs::path partial = folder(epoch).string() + ".partial";
  fs::remove_all(partial);
  fs::create_directories(partial);
  save_checkpoint(net, partial / "model.pt");
  write_atomic_via(partial / "optimizer.pt", [&](const fs::path& tmp) { torch::save(opt, tmp.string()); });
  nlohmann::ordered_json j;
  j["metrics"] = nlohmann::ordered_json::array();
  for (const auto& m : h.metrics) j["metrics"].push_back(nlohmann::ordered_json::parse(m));
  j["val_predicted"] = h.val_predicted;
  write_text_or_throw(partial / "history.json", j.dump() + "\n");
  rename_into_place(partial, folder(epoch));  // the commit
}

EpochHistory EpochStore::history(int epoch) const {
  const fs::path f = folder(epoch) / "history.json";
  std::ifstream in(f);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (!in || j.is_discarded() || !j.contains("metrics") || !j.contains("val_predicted"))
    throw std::runtime_error(f.string() + ": missing or damaged (not a committed epoch's history)");
  EpochHistory h;
  for (const auto& m : j["metrics"]) h.metrics.push_back(m.dump());
  h.val_predicted = j["val_predicted"].get<std::vector<std::vector<int>>>();
  return h;
}

void EpochStore::tidy(const std::set<int>& keep) const {
  const int newest = last();
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const int e = epoch_of(it->path());
    if (e == 0 ? it->path().extension() == ".partial" : e != newest && !keep.count(e)) doomed.push_back(it->path());
  }
  for (const auto& d : doomed) fs::remove_all(d, ec);
}

}  // namespace faceocc
