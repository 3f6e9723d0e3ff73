#!/usr/bin/env bash
# The seed study's supplement: a binary model (occluded or not) followed by the
# 4-class model, against the 4-class model alone, on the same real validation
# photos. Both models are trained here with the same split seed, so their
# validation sets are identical (checked); occeval prints the table and writes
# OUT/eval/cascade.json and the confusion PNGs. Resumable: finished runs are kept.
#
#   bash scripts/cascade.sh [--real DIR] [--epochs N] [--out DIR] [-- extra occtrain options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REAL=../shared/data/dev EPOCHS=3 OUT=out/cascade
while [ $# -gt 0 ]; do
  case "$1" in
    --real) REAL=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "cascade: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -e "$REAL" ] || { echo "cascade: real data $REAL not found (pass --real DIR)" >&2; exit 2; }
bin=${FACEOCC_BUILD:-build}
[ -x "$bin/trainer/occtrain" ] && [ -x "$bin/trainer/occeval" ] || bash scripts/build.sh >&2
mkdir -p "$OUT"
for task in region binary; do
  run="$OUT/$task"
  [ -f "$run/final.json" ] && continue
  resume=(); [ -f "$run/last.pt" ] && resume=(--resume)
  echo "cascade: training the $task model ($EPOCHS epochs, real photos only)" >&2
  "$bin/trainer/occtrain" --config configs/occtrain.ini --real "$REAL" --mix 0 --epochs "$EPOCHS" --seed 1 --split-seed 1 \
    --task "$task" --out "$run" "${resume[@]}" "$@" > "$run.log" 2>&1 || { echo "cascade: $task training failed, see $run.log" >&2; exit 1; }
done
cmp -s "$OUT/region/validation.csv" "$OUT/binary/validation.csv" || { echo "cascade: the two runs' validation sets differ" >&2; exit 1; }
"$bin/trainer/occeval" --model "$OUT/binary" --model "$OUT/region" --label binary --label region --cascade \
  --real "$OUT/region/validation.csv" --out "$OUT/eval" 2> "$OUT/eval.log" | tee "$OUT/cascade.md"
