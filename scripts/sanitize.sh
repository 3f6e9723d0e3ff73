#!/usr/bin/env bash
# Sanitizer builds, each in its own folder, each running tests; any sanitizer report fails it.
#   asan  build-asan/: the whole project with AddressSanitizer + UndefinedBehaviorSanitizer
#         (GCC), then every ctest test;
#   tsan  build-tsan/: ThreadSanitizer (GCC), then the tests that run threads over shared data:
#         occgen's byte identity (threads, shards, resume, kill + resume), the BLAS watch, the
#         face finder's thread test, training's data loading.
# Usage: bash scripts/sanitize.sh [asan] [tsan]   (default: both; about an hour each on 2 cores)
# Reports go to build-<kind>/sanitizer-reports/; the summary says how many there were.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kinds=("${@:-asan tsan}")
read -r -a kinds <<< "${kinds[*]}"
here=$(pwd)
status=0
for kind in "${kinds[@]}"; do
  case "$kind" in
    asan) flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
          tests=".";;
    tsan) flags="-fsanitize=thread"
          tests="Occgen|BlasCalls|BlazeFace.SameDetections|Datasets";;
    *) echo "sanitize: unknown kind '$kind' (asan or tsan)" >&2; exit 2;;
  esac
  dir="build-$kind"
  echo "sanitize: $kind: configuring and building $dir (this takes a while)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" >/dev/null
  cmake --build "$dir" -j"$(nproc)" > "$dir/build.log" 2>&1 || { echo "sanitize: $kind: build failed, see $dir/build.log" >&2; exit 1; }
  reports="$here/$dir/sanitizer-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  # Reports from libraries built without the sanitizer are not ours: scripts/sanitize/*.supp lists
  # each with why. Each process writes its own log file; a test passes only with none.
  export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:detect_odr_violation=0:allocator_may_return_null=1"
  export LSAN_OPTIONS="suppressions=$here/scripts/sanitize/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
  export TSAN_OPTIONS="log_path=$reports/tsan:suppressions=$here/scripts/sanitize/tsan.supp:halt_on_error=0:report_signal_unsafe=0"
  set +e
  ctest --test-dir "$dir" -j"$(nproc)" -R "$tests" --timeout 3600 > "$dir/ctest.log" 2>&1
  rc=$?
  set -e
  n=$(cat "$reports"/* 2>/dev/null | grep -cE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY: UndefinedBehaviorSanitizer|.*runtime error:)' || true)
  echo "sanitize: $kind: ctest exit $rc, $n sanitizer report(s) ($reports), test log $dir/ctest.log"
  if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then status=1; fi
done
exit $status
