// CPU speed basics for LibTorch on small machines (measured in trainer/tools/bench_model):
//  - LibTorch may start with fewer intra-op threads than cores;
//  - glibc returns large activation buffers to the kernel with munmap after every
//    step and faults them back in on the next: keeping them in the heap is a
//    large win at 2 threads.
// Channels-last is chosen per tensor/module by the caller (see bench).
#pragma once

namespace faceocc {

struct CpuTuning {
  int threads = 0;          // 0 = all hardware threads
  bool keep_heap = true;    // mallopt(M_MMAP_MAX=0, M_TRIM_THRESHOLD=huge)
};

// Call once at start-up, before large allocations. Returns the thread count set.
int tune_cpu(const CpuTuning& t = {});

}  // namespace faceocc
