#include "faceocc/train/model/cpu_tuning.hpp"

#include <malloc.h>

#include <thread>

#include <torch/torch.h>

namespace faceocc {

int tune_cpu(const CpuTuning& t) {
  if (t.keep_heap) {
    mallopt(M_MMAP_MAX, 0);                  // serve big blocks from the heap, not fresh mmaps
    mallopt(M_TRIM_THRESHOLD, 1 << 30);      // and don't give freed memory back each step
  }
  int n = t.threads > 0 ? t.threads : int(std::thread::hardware_concurrency());
  if (n < 1) n = 1;
  torch::set_num_threads(n);
  return n;
}

}  // namespace faceocc
