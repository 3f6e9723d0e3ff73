// bench_pipeline: does the input pipeline starve the model? Prints training
// images/s of the real loop (epoch planning with oversampling and mix, batch
// gathering, uint8 -> float, augmentation, step) next to the raw rate of the
// same step (same network, optimizer and loss) on one prepared batch. The head
// sits on the 7x7 map, occtrain's default tap.
// Target: the loop at >= 80 % of the raw rate. Median over epochs / steps.
//
//   bench_pipeline [--batch 64] [--epoch 384] [--epochs 3] [--threads 0] [--device auto|cpu|cuda]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/learn/train_loop.hpp"
#ifdef FACEOCC_BENCH_JPEG
#include "faceocc/train/data/jpeg_augment.hpp"
#endif

using Clock = std::chrono::steady_clock;
using namespace faceocc;

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Random crops standing in for aligned photos: speed does not depend on pixel values.
static ImageSet random_set(int64_t n, int seed) {
  torch::manual_seed(seed);
  ImageSet s;
  s.images = torch::randint(0, 256, {n, 112, 112, 3}, torch::kUInt8);
  const torch::Tensor y = torch::randint(0, 4, {n}, torch::kLong);
  for (int64_t i = 0; i < n; ++i) {
    s.labels.push_back(int(y[i].item<int64_t>()));
    s.sources.push_back(std::to_string(seed) + ":" + std::to_string(i));
  }
  return s;
}

int main(int argc, char** argv) {
  int batch = 64, epochs = 3, threads = 0;
  int64_t epoch = 384;
  std::string device = "auto";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc && a != "-h" && a != "--help") { std::fprintf(stderr, "bench_pipeline: %s needs a value\n", a.c_str()); return 2; }
    try {
      if (a == "--batch") batch = std::stoi(argv[++i]);
      else if (a == "--epoch") epoch = std::stoll(argv[++i]);
      else if (a == "--epochs") epochs = std::stoi(argv[++i]);
      else if (a == "--threads") threads = std::stoi(argv[++i]);
      else if (a == "--device") device = argv[++i];
      else if (a == "-h" || a == "--help") {
        std::printf("usage: bench_pipeline [--batch 64] [--epoch 384] [--epochs 3] [--threads 0] [--device auto|cpu|cuda]\n");
        return 0;
      } else { std::fprintf(stderr, "bench_pipeline: unknown argument %s\n", a.c_str()); return 2; }
    } catch (const std::exception&) { std::fprintf(stderr, "bench_pipeline: bad value for %s\n", a.c_str()); return 2; }
  }
  if (batch < 1 || epoch < batch || epochs < 1) { std::fprintf(stderr, "bench_pipeline: need --epoch >= --batch >= 1, --epochs >= 1\n"); return 2; }
  if (device == "auto") device = torch::cuda::is_available() ? "cuda" : "cpu";
  if (device != "cpu" && device != "cuda") { std::fprintf(stderr, "bench_pipeline: --device must be auto, cpu or cuda\n"); return 2; }
  if (device == "cuda" && !torch::cuda::is_available()) { std::fprintf(stderr, "bench_pipeline: no CUDA device\n"); return 2; }
  const torch::Device dev(device);
  const int used = tune_cpu({threads, true});
  const ImageSet real = random_set(2048, 1), synth = random_set(2048, 2), none;

  TrainOptions o;
  o.batch = batch;
  o.epochs = epochs;
  o.epoch_size = epoch;
  o.freeze_epochs = 0;  // the full step (backbone too): what a fine-tune spends most epochs on
  o.device = device;
  o.mix = 0.3;

  // Raw rate: the same network, optimizer and loss on one batch already on the device.
  // Measured before and after the loops (this machine drifts); the table uses their mean.
  auto raw_rate = [&] {
    torch::manual_seed(0);
    OcclusionNet net(FeatureTap::Map7, 4);
    net->to(dev);
    for (auto& p : net->parameters()) if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
    net->train();
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-4));
    const torch::Tensor x = preprocess_rgb_u8(real.images.slice(0, 0, batch), torch::MemoryFormat::ChannelsLast).to(dev);
    const torch::Tensor y = torch::tensor(std::vector<int64_t>(real.labels.begin(), real.labels.begin() + batch)).to(dev);
    std::vector<double> t;
    for (int i = 0; i < 16; ++i) {
      const auto t0 = Clock::now();
      opt.zero_grad();
      loss_for(net->forward(x), y, o).backward();
      opt.step();
      if (dev.is_cuda()) torch::cuda::synchronize();
      if (i >= 3) t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return batch / median(t);
  };
  const double raw_before = raw_rate();
  std::vector<std::pair<std::string, double>> rows;

  auto loop = [&](const std::string& name, TrainOptions opt) {
    torch::manual_seed(0);
    OcclusionNet net(FeatureTap::Map7, 4);
    std::vector<double> rates;
    train(net, real, synth, none, opt, [&](const EpochResult& r, OcclusionNet&, torch::optim::Optimizer&) { rates.push_back(r.images_per_second); });
    rows.push_back({name, median(rates)});
  };
  TrainOptions plain = o;
  plain.augment = false;
  loop("loop, no augmentation", plain);
  loop("loop, flip/affine/colour/blur augmentation", o);
  TrainOptions full = o;
#ifdef FACEOCC_BENCH_JPEG
  const JpegAugmentOptions j;  // occtrain's default: 30 % of samples, quality 30..90
  full.u8_augment = [j](torch::Tensor& x, uint64_t seed) { jpeg_recompress(x, seed, j); };
  loop("loop, + JPEG re-compression 0.3 (occtrain's default)", full);
#endif
  full.occlusion_region_p = 0.5;
  loop("loop, + occlusion-region augmentation 0.5 (optional)", full);
  const double raw_after = raw_rate(), raw = 0.5 * (raw_before + raw_after);

  std::printf("bench_pipeline: device=%s threads=%d batch=%d, %lld samples per epoch (mix 0.3, balanced oversampling),"
              " median of %d epochs\n", device.c_str(), used, batch, (long long)epoch, epochs);
  std::printf("| %-56s | %8s | %9s |\n|%s|%s|%s|\n", "training", "img/s", "% of raw", std::string(58, '-').c_str(),
              std::string(10, '-').c_str(), std::string(11, '-').c_str());
  char b[96];
  std::snprintf(b, sizeof b, "raw step, one prepared batch (before %.1f, after %.1f)", raw_before, raw_after);
  std::printf("| %-56s | %8.1f | %8.0f%% |\n", b, raw, 100.0);
  for (const auto& [name, m] : rows) std::printf("| %-56s | %8.1f | %8.0f%% |\n", name.c_str(), m, 100.0 * m / raw);
  return 0;
}
