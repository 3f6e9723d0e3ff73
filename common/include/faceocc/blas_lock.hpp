// One thread at a time inside BLAS/LAPACK.
//
// Why: Debian's OpenBLAS (libopenblas0-serial, what scripts/setup.sh installs behind
// libblas.so.3 and liblapack.so.3, and what OpenCV, dlib and LibTorch call) is built
// without locks. Two threads inside it at once share its work buffers and corrupt each
// other's results, silently and rarely: cv::solve(DECOMP_SVD) of two different 30 x 3
// systems on two threads gave 31 wrong results in 40 000, none with one thread at a
// time (ThreadSanitizer: both threads writing in dgemm_oncopy). In occgen that was a
// sample every few hundred runs whose bytes differed from run to run.
//
// The rule: faceocc's own code on worker threads never calls BLAS or LAPACK (its small
// least-squares fits are solved in closed form, see least_squares.hpp); third-party
// code that does (dlib's shape predictor) runs under a BlasLock. tests/test_blas_calls.cpp
// checks both.
//
// Thread safety: that is its purpose. Not reentrant: do not nest two BlasLocks.
#pragma once
#include <mutex>

namespace faceocc {

class BlasLock {
 public:
  BlasLock() : hold_(mutex()) { held() = true; }
  ~BlasLock() { held() = false; }
  BlasLock(const BlasLock&) = delete;
  BlasLock& operator=(const BlasLock&) = delete;

  // Whether the calling thread holds the lock now (for the test that watches BLAS calls).
  static bool held_by_this_thread() { return held(); }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static bool& held() {
    thread_local bool h = false;
    return h;
  }
  std::lock_guard<std::mutex> hold_;
};

}  // namespace faceocc
