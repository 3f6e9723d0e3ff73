// BLAS and LAPACK are not safe on two threads at once here (blas_lock.hpp). This test
// stands between the libraries and them: the binary defines the entry points OpenCV
// and dlib import and exports them (ENABLE_EXPORTS), so the dynamic linker binds the
// libraries' calls here; each call is counted, as made under a BlasLock or not, and
// forwarded to the real one. Checked: a whole occgen run on two threads (face index
// with dlib, plain and aligned samples) makes no call outside the lock, and making
// samples makes no call at all.
#include <dlfcn.h>

#include <atomic>

#include <cblas.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

#include "faceocc/blas_lock.hpp"
#include "faceocc/face/find_and_align.hpp"
#include "faceocc/gen/generator_run.hpp"
#include "faceocc/parallel_for.hpp"
#include "test_helpers.hpp"

namespace {

std::atomic<long> g_locked{0}, g_unlocked{0};
thread_local int g_depth = 0;  // LAPACK calls BLAS: count the outermost call only

struct Watch {
  Watch() {
    if (g_depth++ == 0) ++(faceocc::BlasLock::held_by_this_thread() ? g_locked : g_unlocked);
  }
  ~Watch() { --g_depth; }
};

template <class F>
F real(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (!f) std::abort();
  return reinterpret_cast<F>(f);
}

}  // namespace

// Fortran LAPACK: every argument is a pointer (up to 14 here), nothing is returned.
#define FACEOCC_WATCH_LAPACK(name)                                                                              \
  extern "C" void name(void* a, void* b, void* c, void* d, void* e, void* f, void* g, void* h, void* i, void* j, \
                       void* k, void* l, void* m, void* n) {                                                    \
    Watch w;                                                                                                    \
    static const auto fn = real<void (*)(void*, void*, void*, void*, void*, void*, void*, void*, void*, void*,   \
                                         void*, void*, void*, void*)>(#name);                                   \
    fn(a, b, c, d, e, f, g, h, i, j, k, l, m, n);                                                               \
  }
FACEOCC_WATCH_LAPACK(sgels_) FACEOCC_WATCH_LAPACK(dgels_) FACEOCC_WATCH_LAPACK(sgeqrf_) FACEOCC_WATCH_LAPACK(dgeqrf_)
FACEOCC_WATCH_LAPACK(sgesdd_) FACEOCC_WATCH_LAPACK(dgesdd_) FACEOCC_WATCH_LAPACK(sgesv_) FACEOCC_WATCH_LAPACK(dgesv_)
FACEOCC_WATCH_LAPACK(sgetrf_) FACEOCC_WATCH_LAPACK(dgetrf_) FACEOCC_WATCH_LAPACK(sposv_) FACEOCC_WATCH_LAPACK(dposv_)
FACEOCC_WATCH_LAPACK(spotrf_) FACEOCC_WATCH_LAPACK(dpotrf_) FACEOCC_WATCH_LAPACK(dgesvd_) FACEOCC_WATCH_LAPACK(dsyevr_)

// CBLAS, as OpenCV's core and dlib call it.
extern "C" {
void cblas_sgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, const int m, const int n, const int k,
                 const float al, const float* a, const int lda, const float* b, const int ldb, const float be, float* c,
                 const int ldc) {
  Watch w;
  static const auto fn = real<decltype(&cblas_sgemm)>("cblas_sgemm");
  fn(o, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
}
void cblas_dgemm(CBLAS_ORDER o, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, const int m, const int n, const int k,
                 const double al, const double* a, const int lda, const double* b, const int ldb, const double be,
                 double* c, const int ldc) {
  Watch w;
  static const auto fn = real<decltype(&cblas_dgemm)>("cblas_dgemm");
  fn(o, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
}
void cblas_dgemv(CBLAS_ORDER o, CBLAS_TRANSPOSE t, const int m, const int n, const double al, const double* a,
                 const int lda, const double* x, const int incx, const double be, double* y, const int incy) {
  Watch w;
  static const auto fn = real<decltype(&cblas_dgemv)>("cblas_dgemv");
  fn(o, t, m, n, al, a, lda, x, incx, be, y, incy);
}
double cblas_ddot(const int n, const double* x, const int incx, const double* y, const int incy) {
  Watch w;
  static const auto fn = real<decltype(&cblas_ddot)>("cblas_ddot");
  return fn(n, x, incx, y, incy);
}
void cblas_daxpy(const int n, const double a, const double* x, const int incx, double* y, const int incy) {
  Watch w;
  static const auto fn = real<decltype(&cblas_daxpy)>("cblas_daxpy");
  fn(n, a, x, incx, y, incy);
}
void cblas_saxpy(const int n, const float a, const float* x, const int incx, float* y, const int incy) {
  Watch w;
  static const auto fn = real<decltype(&cblas_saxpy)>("cblas_saxpy");
  fn(n, a, x, incx, y, incy);
}
void cblas_dscal(const int n, const double a, double* x, const int incx) {
  Watch w;
  static const auto fn = real<decltype(&cblas_dscal)>("cblas_dscal");
  fn(n, a, x, incx);
}
void cblas_sscal(const int n, const float a, float* x, const int incx) {
  Watch w;
  static const auto fn = real<decltype(&cblas_sscal)>("cblas_sscal");
  fn(n, a, x, incx);
}
}

namespace faceocc {
namespace {

namespace fs = std::filesystem;

struct Counts {
  long locked, unlocked;
};
Counts counts() { return {g_locked.load(), g_unlocked.load()}; }

class BlasCalls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::have(default_faces_dir() / "sample2.jpg", test::kRunSetup));
    dir_ = fs::temp_directory_path() / ("faceocc_blas_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "faces");
    for (const char* f : {"sample2.jpg", "sample3.jpg"}) fs::copy_file(default_faces_dir() / f, dir_ / "faces" / f);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BlasCalls, TheWatchSeesOpenCvsLapack) {
  // cv::solve hands an SVD of 30 rows to LAPACK: proof the calls reach the watch.
  cv::Mat A(30, 3, CV_64F), b(30, 1, CV_64F), x;
  cv::randu(A, 0, 1);
  cv::randu(b, 0, 1);
  const Counts before = counts();
  cv::solve(A, b, x, cv::DECOMP_SVD);
  EXPECT_GE(counts().unlocked - before.unlocked, 1);
}

TEST_F(BlasCalls, AnOccgenRunOnTwoThreadsCallsBlasOnlyUnderTheLock) {
  GeneratorOptions o;
  o.faces_dir = dir_ / "faces";
  o.occluders_dir = FACEOCC_SOURCE_DIR "/assets/occluders";
  o.out_dir = dir_ / "out";
  o.shape_predictor = default_shape_predictor();
  o.count = 96;
  o.size = 160;
  o.aligned = 112;
  o.threads = 2;
  const Counts before = counts();
  run_generator(o, [](const std::string&) {});
  const Counts after = counts();
  EXPECT_EQ(after.unlocked - before.unlocked, 0) << "BLAS/LAPACK calls outside a BlasLock";
  EXPECT_GT(after.locked - before.locked, 0) << "dlib's shape predictor calls LAPACK: the watch saw none";
}

TEST_F(BlasCalls, MakingSamplesCallsNoBlasAtAll) {
  FaceIndexOptions fio;
  fio.shape_predictor = default_shape_predictor();
  fio.size = 160;
  const FaceIndex index = index_faces(dir_ / "faces", fio);
  ASSERT_FALSE(index.faces.empty());
  const OccluderLibrary lib = load_occluders(FACEOCC_SOURCE_DIR "/assets/occluders");
  const OccluderPools pools(lib);
  const BlazeFace proto(default_detector_dir());
  tbb::enumerable_thread_specific<BlazeFace> detectors([&] { return proto.clone(); });
  SampleOptions opt;
  opt.accept = [&](Sample& s) {  // the aligned path, as occgen --aligned 112 runs it
    AlignedFace a = find_and_align(s.image, detectors.local(), 112);
    s.aligned = a.crop;
    return a.face_found;
  };
  prepare_opencv_statics();
  tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
  const Counts before = counts();
  std::atomic<int> made{0};
  parallel_for_index(4 * lib.assets.size(), [&](size_t i) {
    made += bool(generate_sample(7, int64_t(i), OccClass(i % kNumClasses), index.faces, lib, pools, opt));
  });
  const Counts after = counts();
  EXPECT_GT(made.load(), 3 * int(lib.assets.size()));
  EXPECT_EQ(after.unlocked - before.unlocked, 0);
  EXPECT_EQ(after.locked - before.locked, 0);
}

}  // namespace
}  // namespace faceocc
