// bench_model: MobileFaceNet forward and train-step images/s at 112x112.
// Prints a table of medians over --iters timed batches (after warm-up), for
// contiguous and channels-last memory formats. Random weights: speed does not
// depend on their values. Needs LibTorch only, so it runs on a bare GPU box.
//
//   bench_model [--batch 64] [--iters 8] [--threads 0] [--device auto|cpu|cuda] [--no-keep-heap]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/model/mobilefacenet.hpp"

using Clock = std::chrono::steady_clock;

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

template <class F>
static double median_seconds(F&& step, int warmup, int iters, const torch::Device& dev) {
  auto sync = [&] { if (dev.is_cuda()) torch::cuda::synchronize(); };
  for (int i = 0; i < warmup; ++i) step();
  sync();
  std::vector<double> t;
  for (int i = 0; i < iters; ++i) {
    const auto t0 = Clock::now();
    step();
    sync();
    t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return median(t);
}

int main(int argc, char** argv) {
  int batch = 64, iters = 8, threads = 0;
  std::string device = "auto";
  bool keep_heap = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "bench_model: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    try {
      if (a == "--batch") batch = std::stoi(next());
      else if (a == "--iters") iters = std::stoi(next());
      else if (a == "--threads") threads = std::stoi(next());
      else if (a == "--device") device = next();
      else if (a == "--no-keep-heap") keep_heap = false;
      else if (a == "--help" || a == "-h") {
        std::printf("usage: bench_model [--batch 64] [--iters 8] [--threads 0] [--device auto|cpu|cuda] [--no-keep-heap]\n");
        return 0;
      } else { std::fprintf(stderr, "bench_model: unknown argument %s\n", a.c_str()); return 2; }
    } catch (const std::exception&) { std::fprintf(stderr, "bench_model: bad value for %s\n", a.c_str()); return 2; }
  }
  if (batch < 1 || iters < 1) { std::fprintf(stderr, "bench_model: --batch and --iters must be >= 1\n"); return 2; }
  if (device != "auto" && device != "cpu" && device != "cuda") {
    std::fprintf(stderr, "bench_model: --device must be auto, cpu or cuda\n");
    return 2;
  }
  const bool cuda = device == "cuda" || (device == "auto" && torch::cuda::is_available());
  if (cuda && !torch::cuda::is_available()) { std::fprintf(stderr, "bench_model: no CUDA device\n"); return 2; }
  const torch::Device dev = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);

  const int used = faceocc::tune_cpu({threads, keep_heap});
  torch::manual_seed(0);
  std::printf("bench_model: device=%s threads=%d keep_heap=%s batch=%d iters=%d (median of timed batches)\n",
              cuda ? "cuda" : "cpu", used, keep_heap ? "on" : "off", batch, iters);
  std::printf("| %-10s | %-14s | %10s | %9s |\n", "step", "memory format", "ms/batch", "img/s");
  std::printf("|%s|%s|%s|%s|\n", std::string(12, '-').c_str(), std::string(16, '-').c_str(),
              std::string(12, '-').c_str(), std::string(11, '-').c_str());

  for (const auto& [fmt_name, fmt] : {std::pair{"contiguous", torch::MemoryFormat::Contiguous},
                                      std::pair{"channels-last", torch::MemoryFormat::ChannelsLast}}) {
    faceocc::MobileFaceNet net;
    torch::nn::Linear head(512, 4);
    net->to(dev);
    head->to(dev);
    for (auto& p : net->parameters()) if (p.dim() == 4) p.set_data(p.data().contiguous(fmt));
    const torch::Tensor x = torch::randn({batch, 3, 112, 112}).to(dev).contiguous(fmt);
    const torch::Tensor y = torch::randint(0, 4, {batch}, torch::kLong).to(dev);

    net->eval();
    const double fwd = median_seconds([&] { torch::NoGradGuard g; net->forward(x); }, 2, iters, dev);
    std::printf("| %-10s | %-14s | %10.1f | %9.1f |\n", "forward", fmt_name, fwd * 1e3, batch / fwd);

    net->train();
    std::vector<torch::Tensor> params = net->parameters();
    for (auto& p : head->parameters()) params.push_back(p);
    torch::optim::SGD opt(params, torch::optim::SGDOptions(0.01).momentum(0.9));
    const double trn = median_seconds([&] {
      opt.zero_grad();
      torch::Tensor loss = torch::cross_entropy_loss(head->forward(net->features(x).gdconv), y);
      loss.backward();
      opt.step();
    }, 2, iters, dev);
    std::printf("| %-10s | %-14s | %10.1f | %9.1f |\n", "train step", fmt_name, trn * 1e3, batch / trn);
  }
  return 0;
}
