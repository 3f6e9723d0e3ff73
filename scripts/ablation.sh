#!/usr/bin/env bash
# Reproduces the seed study's ablation on real data, one row per step:
#   scratch · pretrained · + oversampling & focal loss · + augmentation · + synthetic mix
# Same split, seed and epochs for every row; validation is real photos only.
# Writes out/ablation/ablation.md (table with train time and device per row)
# and each row's confusion-matrix PNG next to it.
#
#   bash scripts/ablation.sh [--real DIR] [--epochs N] [--mix R] [--synthetic DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/atomic.sh
REAL=../shared/data/dev EPOCHS=3 MIX=0.3 SYN=out/ablation/synthetic OUT=out/ablation
while [ $# -gt 0 ]; do
  case "$1" in
    --real) REAL=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --mix) MIX=$2; shift 2 ;;
    --synthetic) SYN=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "ablation: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$REAL" ] || { echo "ablation: real data $REAL not found (pass --real DIR)" >&2; exit 2; }
[ -x build/trainer/occtrain ] || bash scripts/build.sh
mkdir -p "$OUT"
if [ ! -f "$SYN/manifest.csv" ]; then  # generated once; an interrupted generation is resumed
  build/generator/occgen --config configs/occgen.ini --count 4000 --aligned 112 --out "$SYN" \
    $([ -f "$SYN/run.json" ] && echo --resume) >/dev/null
fi

common=(--config configs/occtrain.ini --real "$REAL" --synthetic "$SYN" --epochs "$EPOCHS" --seed 1)
rows=(
  "scratch|--from-scratch --loss ce --oversample-power 0 --no-augment --mix 0"
  "pretrained|--loss ce --oversample-power 0 --no-augment --mix 0"
  "+ oversampling & focal loss|--loss focal --oversample-power 1 --no-augment --mix 0"
  "+ augmentation|--loss focal --oversample-power 1 --mix 0"
  "+ synthetic mix $MIX|--loss focal --oversample-power 1 --mix $MIX"
)
# One value out of a run's final.json (flattened): key path given as a sed pattern.
field() { tr -d ' \n' < "$1/final.json" | sed -n "s/.*\"validation\":{\"accuracy\":\([0-9.e-]*\),\"macro_f1\":\([0-9.e-]*\).*/\\$2/p"; }
recall() { tr -d ' \n' < "$1/final.json" | sed -n "s/.*\"validation\".*\"$2\":{\"precision\":[0-9.e-]*,\"recall\":\([0-9.e-]*\).*/\1/p" | head -1; }
{
  echo "| row | val accuracy | macro-F1 | recall none | recall upper | recall lower | recall both | train time | device |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$OUT/ablation.md.tmp"
i=0
for row in "${rows[@]}"; do
  i=$((i + 1))
  name=${row%%|*} args=${row#*|}
  run="$OUT/row$i"
  if [ ! -f "$run/final.json" ]; then  # finished rows are not rerun
    rm -rf "$run"
    echo "ablation: row $i: $name" >&2
    # shellcheck disable=SC2086
    build/trainer/occtrain "${common[@]}" $args --out "$run" > "$run.log" 2>&1 || { echo "ablation: row $i failed, see $run.log" >&2; exit 1; }
  fi
  secs=$(sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p' "$run/metrics.jsonl" | awk '{s+=$1} END{printf "%.0f s", s}')
  dev=$(sed -n 's/^# resolved: device = \([a-z]*\), threads = \([0-9]*\)/\1 (\2 threads)/p' "$run/config.ini")
  printf '| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %s | %s |\n' "$name" "$(field "$run" 1)" "$(field "$run" 2)" \
    "$(recall "$run" 0_0_0)" "$(recall "$run" 1_1_0)" "$(recall "$run" 1_0_1)" "$(recall "$run" 1_1_1)" "$secs" "$dev" >> "$OUT/ablation.md.tmp"
  cp_atomic "$run/confusion_val.png" "$OUT/confusion_row$i.png"
done
mv "$OUT/ablation.md.tmp" "$OUT/ablation.md"
cat "$OUT/ablation.md"
