#!/usr/bin/env bash
# Speed tables, measured here and printed as markdown:
#  1. MobileFaceNet forward and train step, batch 64, 112x112: with the CPU
#     tuning, without the heap tuning, and on one thread (bench_model);
#  2. the training input pipeline: the loop's img/s next to the raw step rate
#     (bench_pipeline; target >= 80 %);
#  3. occgen images/s on the shipped defaults, 2 threads vs 1 thread (median
#     of 3 runs each, cached landmarks, output on this machine's disk);
#  4. occpredict's cost per photo on one core, stage by stage (bench_predict;
#     target <= 20 ms per 320 px selfie), and how often and how fast the face
#     finder finds the development photos' faces (bench_detect), when
#     ../shared/data/dev is there; and the same per-stage cost of occcheck, the
#     OpenCV-only check (bench_check), with the newest model.onnx under runs/.
# Compare ratios within one run: this machine is noisy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x build/generator/occgen ] && [ -x build/trainer/bench_model ] && [ -x build/trainer/bench_pipeline ] &&
  [ -x build/trainer/bench_predict ] && [ -x build/generator/bench_detect ] && [ -x build/check/bench_check ] || bash scripts/build.sh
COUNT=${BENCH_OCCGEN_COUNT:-8000}

build/trainer/bench_model
build/trainer/bench_model --no-keep-heap
build/trainer/bench_model --threads 1
echo
build/trainer/bench_pipeline

work=$(mktemp -d "${TMPDIR:-/tmp}/faceocc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
build/generator/occgen --config configs/occgen.ini --count 16 --out "$work/warm" --landmark-cache "$work/lm" >/dev/null 2>&1
rate() {  # threads -> img/s of one run
  rm -rf "$work/run"
  build/generator/occgen --config configs/occgen.ini --count "$COUNT" --threads "$1" --out "$work/run" \
    --landmark-cache "$work/lm" 2>/dev/null | sed -n 's/.*(\([0-9.]*\) img\/s.*/\1/p'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
r2=$(median3 "$(rate 2)" "$(rate 2)" "$(rate 2)")
r1=$(median3 "$(rate 1)" "$(rate 1)" "$(rate 1)")
echo
echo "occgen: $COUNT images per run, defaults from configs/occgen.ini, median of 3"
echo "| threads | img/s | 50 000 images would take |"
echo "|---------|-------|--------------------------|"
for t in 2 1; do r=$([ "$t" = 2 ] && echo "$r2" || echo "$r1"); awk -v t="$t" -v r="$r" 'BEGIN{printf "| %7d | %5.0f | %21.0f s |\n", t, r, 50000/r}'; done
awk -v a="$r2" -v b="$r1" 'BEGIN{printf "2 threads / 1 thread = %.2fx\n", a/b}'

dev=${FACEOCC_REAL:-../shared/data/dev}
if [ -d "$dev/1_1_0" ]; then
  echo
  build/trainer/bench_predict --photos "$dev/1_1_0" --count 60
  echo
  onnx=$(ls -td runs/*/model.onnx 2>/dev/null | head -1 || true)
  if [ -n "$onnx" ]; then build/check/bench_check --model "$onnx" --photos "$dev/1_1_0" --count 60
  else echo "bench_check: no runs/*/model.onnx (occtrain writes one): occcheck not timed"; fi
  echo
  build/generator/bench_detect "$dev" --per-class 2000
fi
