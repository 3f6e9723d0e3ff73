#!/usr/bin/env bash
# Speed tables, measured here and printed as markdown:
#  1. MobileFaceNet forward and train step, batch 64, 112x112: with the CPU
#     tuning, without the heap tuning, and on one thread (bench_model);
#  2. the training input pipeline: the loop's img/s next to the raw step rate
#     (bench_pipeline; target >= 80 %);
#  3. occgen images/s on the shipped faces, plain and with the aligned crops (the
#     default), at 2 threads and 1 (median of 3 runs each, in rotating order,
#     cached landmarks, output on this machine's disk);
#  4. occpredict's cost per photo on one core, stage by stage (bench_predict;
#     target <= 20 ms per 320 px selfie), and how often and how fast the face
#     finder finds the development photos' faces (bench_detect), when
#     ../shared/data/dev is there; and the same per-stage cost of occcheck, the
#     OpenCV-only check (bench_check), with the newest model.onnx under runs/.
# Compare ratios within one run: this machine is noisy. `bash scripts/bench.sh occgen` runs table 3 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x build/generator/occgen ] && [ -x build/trainer/bench_model ] && [ -x build/trainer/bench_pipeline ] &&
  [ -x build/trainer/bench_predict ] && [ -x build/generator/bench_detect ] && [ -x build/check/bench_check ] || bash scripts/build.sh
COUNT=${BENCH_OCCGEN_COUNT:-2000}

only=${1:-all}
if [ "$only" = all ]; then
  build/trainer/bench_model
  build/trainer/bench_model --no-keep-heap
  build/trainer/bench_model --threads 1
  echo
  build/trainer/bench_pipeline
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/faceocc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
occgen=${BENCH_OCCGEN:-build/generator/occgen}  # another binary to compare against: BENCH_OCCGEN=path
# The shipped faces (--real none: the same faces on every machine), landmarks cached by the warm-up run.
real_none=()
"$occgen" --help | grep -q -- '--real ' && real_none=(--real none)  # older binaries had no --real
gen() { "$occgen" --config configs/occgen.ini "${real_none[@]}" --landmark-cache "$work/lm" "$@"; }
gen --count 16 --out "$work/warm" >/dev/null 2>&1
rate() {  # threads aligned -> img/s of one run
  rm -rf "$work/run"
  gen --count "$COUNT" --threads "$1" --aligned "$2" --out "$work/run" 2>/dev/null | sed -n 's/.*(\([0-9.]*\) img\/s.*/\1/p'
}
declare -A runs
for round in 1 2 3; do  # rotating order: the machine's drift spreads over every cell
  for cell in "2 0" "2 112" "1 0" "1 112"; do runs[$cell]+=" $(rate $cell)"; done
done
median() { printf '%s\n' $1 | sort -n | sed -n 2p; }
echo
echo "occgen: $COUNT images per run, the shipped faces, defaults from configs/occgen.ini, median of 3 ($occgen)"
echo "| threads | plain img/s | with aligned crops img/s | aligned / plain |"
echo "|---------|-------------|--------------------------|-----------------|"
for t in 2 1; do
  p=$(median "${runs[$t 0]}") a=$(median "${runs[$t 112]}")
  awk -v t="$t" -v p="$p" -v a="$a" 'BEGIN{printf "| %7d | %11.0f | %24.0f | %15.2f |\n", t, p, a, a/p}'
done
awk -v p2="$(median "${runs[2 0]}")" -v p1="$(median "${runs[1 0]}")" -v a2="$(median "${runs[2 112]}")" -v a1="$(median "${runs[1 112]}")" \
  'BEGIN{printf "2 threads / 1 thread: plain %.2fx, aligned %.2fx; 50 000 aligned images at 2 threads: %.0f s\n", p2/p1, a2/a1, 50000/a2}'

dev=${FACEOCC_REAL:-../shared/data/dev}
if [ "$only" = all ] && [ -d "$dev/1_1_0" ]; then
  echo
  build/trainer/bench_predict --photos "$dev/1_1_0" --count 60
  echo
  onnx=$(ls -td runs/*/model.onnx 2>/dev/null | head -1 || true)
  if [ -n "$onnx" ]; then build/check/bench_check --model "$onnx" --photos "$dev/1_1_0" --count 60
  else echo "bench_check: no runs/*/model.onnx (occtrain writes one): occcheck not timed"; fi
  echo
  build/generator/bench_detect "$dev" --per-class 2000
fi
