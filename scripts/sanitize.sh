#!/usr/bin/env bash
# Sanitizer builds, each in its own folder, each running tests; any sanitizer report fails it.
#   asan  build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer (GCC), then the rooms' tests
#         (default: every room; about an hour and a half on 2 cores, most of it LibTorch code);
#   tsan  build-tsan/: ThreadSanitizer (GCC), then the rooms' tests (default: generator, whose
#         tests run occgen's threads over shared data: byte identity at 1 and 2 threads, shards,
#         resume, kill + resume, the BLAS watch; ~15 minutes).
# Usage: bash scripts/sanitize.sh asan|tsan [ROOM ...]   (ROOM: common generator check trainer)
#        bash scripts/sanitize.sh                         (asan on every room, then tsan on generator)
# A room builds only its tests and the tools they run (CMake target tests_ROOM); ctest runs ROOM.*.
# Reports go to build-<kind>/sanitizer-reports/, one file per process; the summary counts them.
# Libraries we do not build (TBB, OpenCV, dlib, OpenBLAS, LibTorch) are not instrumented:
# scripts/sanitize/*.supp list what that produces, each with why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
here=$(pwd)
if [ $# -eq 0 ]; then bash "$0" asan && exec bash "$0" tsan; fi
kind=$1; shift
rooms=("$@")
case "$kind" in
  asan) flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
        [ ${#rooms[@]} -gt 0 ] || rooms=(common generator check trainer);;
  tsan) flags="-fsanitize=thread"
        [ ${#rooms[@]} -gt 0 ] || rooms=(generator);;
  *) echo "sanitize: unknown kind '$kind' (asan or tsan)" >&2; exit 2;;
esac
targets=() regex=""
for r in "${rooms[@]}"; do
  case "$r" in common|generator|check|trainer) ;; *) echo "sanitize: unknown room '$r'" >&2; exit 2;; esac
  targets+=(--target "tests_$r") regex+="${regex:+|}^$r\\."
done
dir="build-$kind"
echo "sanitize: $kind: configuring and building ${rooms[*]} in $dir (this takes a while)"
mkdir -p "$dir"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" -DFACEOCC_TEST_TIMEOUT=3600 \
  -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" > "$dir/configure.log" 2>&1 \
  || { echo "sanitize: $kind: configure failed, see $dir/configure.log" >&2; exit 1; }
cmake --build "$dir" -j"$(nproc)" "${targets[@]}" > "$dir/build.log" 2>&1 || { echo "sanitize: $kind: build failed, see $dir/build.log" >&2; exit 1; }
reports="$here/$dir/sanitizer-reports"
rm -rf "$reports" && mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:detect_odr_violation=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$here/scripts/sanitize/lsan.supp:print_suppressions=0"
# GCC's UBSan beside ASan ignores log_path and prints to stderr, and halt_on_error's default exit
# code 1 is a documented exit code of our tools: exit 86 instead, so a test that checks the exit
# fails, and the summary also counts "runtime error:" in the tests' output (LastTest.log).
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1:exitcode=86"
# history_size=7: old stacks restored, so a report whose earlier access was TBB bookkeeping on a
# reused stack slot names it (and tsan.supp can tell it from ours).
export TSAN_OPTIONS="log_path=$reports/tsan:suppressions=$here/scripts/sanitize/tsan.supp:halt_on_error=0:report_signal_unsafe=0:history_size=7"
start=$SECONDS
set +e
ctest --test-dir "$dir" -j"$(nproc)" -R "$regex" --timeout 3600 > "$dir/ctest.log" 2>&1
rc=$?
set -e
n=$(cat "$reports"/* "$dir/Testing/Temporary/LastTest.log" 2>/dev/null \
    | grep -cE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY: UndefinedBehaviorSanitizer|.*runtime error:)' || true)
echo "sanitize: $kind (${rooms[*]}): $(grep -E 'tests passed|tests failed' "$dir/ctest.log" | tail -1) in $((SECONDS - start)) s;" \
  "ctest exit $rc, $n sanitizer report(s) ($reports), test log $dir/ctest.log"
[ "$rc" -eq 0 ] && [ "$n" -eq 0 ]
