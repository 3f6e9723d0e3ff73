#!/usr/bin/env bash
# Speed tables: MobileFaceNet forward and train step at batch 64, 112x112,
# with the CPU tuning on, with the heap tuning off, and on one thread.
# Compare ratios within one run: this machine is noisy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x build/trainer/bench_model ] || bash scripts/build.sh
build/trainer/bench_model "$@"
build/trainer/bench_model --no-keep-heap "$@"
build/trainer/bench_model --threads 1 "$@"
