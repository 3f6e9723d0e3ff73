#include "faceocc/train/run/training_job.hpp"

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/learn/metrics_json.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/model/pretrained.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// A split as a path,class CSV (4-class labels whatever the task), readable by --real and occeval.
void write_split_csv(const ImageSet& set, const std::map<std::string, int>& region_label, const fs::path& file) {
  std::string csv = "path,class\n";
  for (int64_t i = 0; i < set.size(); ++i)
    csv += fs::absolute(set.paths[size_t(i)]).string() + "," + class_folder(OccClass(region_label.at(set.paths[size_t(i)]))) + "\n";
  write_text_or_throw(file, csv);
}

void refuse_leaks(const SyntheticSources& used, const ImageSet& val) {
  for (int64_t i = 0; i < val.size(); ++i) {
    if (used.occluders.count(val.sources[size_t(i)]))
      throw std::runtime_error("the synthetic data uses an occluder harvested from validation photo " + val.paths[size_t(i)] +
                               ": harvest with this run's --split-seed and --val-split (occharvest reads the training split "
                               "only); with --folds every photo validates once, so harvested occluders cannot be used");
    if (used.faces.count(val.sources[size_t(i)]))
      throw std::runtime_error("the synthetic data's faces include validation photo " + val.paths[size_t(i)] +
                               ": make it from this run's training split (occgen --split-seed and --val-split as here); "
                               "with --folds every photo validates once, so faces from the real photos cannot be used");
  }
}

Metrics TrainingJob::run(const Split& s, const fs::path& dir, int* best_epoch, std::vector<std::vector<float>>* val_probs) {
  fs::create_directories(dir);
  write_split_csv(s.val, s.region_label, dir / "validation.csv");  // the exact photos, for occeval and the cascade
  const EpochStore store(dir);
  torch::manual_seed(o_.train.seed);  // the new head's initial weights: same seed, same run
  OcclusionNet net(o_.tap, publish_.classes);
  EpochHistory history;
  TrainOptions topt = o_.train;
  const int done = o_.resume ? store.last() : 0;
  if (done > 0) {
    load_checkpoint(net, store.model(done));
    history = store.history(done);
    topt.resume_optimizer = store.optimizer(done).string();
    publish_.log("resume: " + std::to_string(done) + " epoch(s) done in " + dir.string() + ", continuing");
    publish_commit(publish_, dir, store, history, s.val.labels);  // views a kill may have left behind the commit
  } else if (!o_.init.empty()) {
    load_checkpoint(net, o_.init);
    publish_.log("initialised from " + o_.init.string());
  } else if (!o_.from_scratch) {
    net->backbone = net->replace_module("backbone", load_pretrained(o_.weights));
  }
  if (done < topt.epochs)
    train(net, s.train, s.synthetic, s.val, topt, [&](const EpochResult& r, OcclusionNet& n, torch::optim::Optimizer& opt) {
      json j;
      j["epoch"] = r.epoch;
      j["train_loss"] = r.train_loss;
      j["train_accuracy"] = r.train_accuracy;
      j["seconds"] = r.seconds;
      j["train_images_per_second"] = r.images_per_second;
      j["real_samples"] = r.real_samples;
      j["synthetic_samples"] = r.synthetic_samples;
      j["val"] = metrics_json(r.val, publish_.names);
      publish_.log("epoch " + std::to_string(r.epoch) + ": loss " + std::to_string(r.train_loss) + ", validation accuracy " +
                   std::to_string(r.val.accuracy) + ", macro-F1 " + std::to_string(r.val.macro_f1) + " (" +
                   std::to_string(int(r.images_per_second)) + " img/s)\n" + format_confusion(r.val, publish_.names));
      history.metrics.push_back(j.dump());
      history.val_predicted.push_back(r.val_predicted);
      store.commit(r.epoch, n, opt, history);
      publish_commit(publish_, dir, store, history, s.val.labels);
    }, done);
  return publish_best_model(publish_, dir, s.val, best_epoch, val_probs);
}

}  // namespace faceocc
