#!/usr/bin/env bash
# Fuzz every reader of a user's file with libFuzzer (Debian's clang 14, with AddressSanitizer
# and UndefinedBehaviorSanitizer), each target for MINUTES minutes (default 2):
#   bash scripts/fuzz.sh [MINUTES] [TARGET...]
# Builds into build-fuzz/. Each target starts from its committed corpus (tests/fuzz/corpus/T,
# which ctest replays in the normal build) and writes what it learns to build-fuzz/corpus/T.
# A crash, leak, hang or sanitizer report leaves its input in build-fuzz/findings/T/: fix the
# cause, then copy the input into tests/fuzz/corpus/T as a regression case.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes=${1:-2}
shift || true
all=(image_decode occluder_asset journal ini_config photo_lists run_folder onnx_model onnx_metadata landmark_cache)
targets=("${@:-${all[@]}}")
command -v clang++-14 >/dev/null || { echo "fuzz: needs clang++-14 (Debian: clang-14, libclang-rt-14-dev)" >&2; exit 1; }
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DFACEOCC_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The leaks libraries we do not build keep by design, each with why (shared with sanitize.sh asan).
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/sanitize/lsan.supp:print_suppressions=0"
printf '%-16s %10s %8s %s\n' target executions seconds result
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/findings/$t"
  log="build-fuzz/findings/$t/fuzz.log"
  set +e
  t0=$SECONDS
  "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time=$((minutes * 60)) -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/findings/$t/" "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$execs" ] || execs=$(grep -o '#[0-9]*' "$log" | tail -1 | tr -d '#')
  found=$(ls "build-fuzz/findings/$t" | grep -v fuzz.log | tr '\n' ' ' || true)  # nothing found: grep exits 1
  printf '%-16s %10s %8s %s\n' "$t" "${execs:-?}" $((SECONDS - t0)) "$([ $rc -eq 0 ] && echo clean || echo "FOUND (exit $rc): $found; see $log")"
done
