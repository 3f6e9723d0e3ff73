// tbb::parallel_for over an index range, with its fork and join stated to ThreadSanitizer.
//
// Debian's TBB library is not built with ThreadSanitizer, so TSan cannot see that a task starts
// after the caller's writes (fork) and finishes before parallel_for returns (join): it reports
// every such hand-over as a data race, and those false reports would hide a real one (occgen's
// threads inside the serial OpenBLAS were found this way). Under -fsanitize=thread this wrapper
// states both edges with __tsan_release / __tsan_acquire around the body; otherwise it is exactly
// tbb::parallel_for over a blocked_range. Races between tasks stay visible: the tasks only
// acquire the fork and release the join, never each other's writes.
//
// requires: body(size_t begin, size_t end) handles [begin, end); grain >= 1.
// ensures: every index in [begin, end) is handled exactly once before the call returns.
// Thread safety: as tbb::parallel_for (body runs on several threads at once).
#pragma once
#include <cstddef>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace faceocc {

template <class Body>
void parallel_for(size_t begin, size_t end, size_t grain, const Body& body) {
#if defined(__SANITIZE_THREAD__)
  // The edges are named by static addresses, not captured ones: a task must acquire the fork
  // before it reads anything the caller wrote, its own lambda's captures included.
  static char fork, join;
  __tsan_release(&fork);
  tbb::parallel_for(tbb::blocked_range<size_t>(begin, end, grain), [&](const tbb::blocked_range<size_t>& r) {
    __tsan_acquire(&fork);
    body(r.begin(), r.end());
    __tsan_release(&join);
  });
  __tsan_acquire(&join);
#else
  tbb::parallel_for(tbb::blocked_range<size_t>(begin, end, grain),
                    [&](const tbb::blocked_range<size_t>& r) { body(r.begin(), r.end()); });
#endif
}

// The same, one index at a time: body(size_t i) for each i in [0, n).
template <class Body>
void parallel_for_index(size_t n, const Body& body) {
  parallel_for(0, n, 1, [&](size_t b, size_t e) {
    for (size_t i = b; i != e; ++i) body(i);
  });
}

}  // namespace faceocc
