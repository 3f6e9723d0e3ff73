#!/usr/bin/env bash
# The design card's four command lines, verbatim, from a scratch copy of the repository root
# at small scale (FACEOCC_REAL: ~120 real photos):
#   build/generator/occgen --occluders assets/ --count 300
#   build/trainer/occtrain --mix 0.3 --epochs 1 --epoch-size 64
#   bash scripts/nightly.sh                      (one night, the tiny configs/nightly.ini)
#   bash scripts/compare_mixes.sh --set mixes="0 0.3" --set seeds=1   (two cells)
# Checks: occgen loaded every shipped asset (and rejected none) and made its faces from the real
# training split; the training run drew synthetic samples (its own data.json); the night and
# the comparison finished.
# Usage: test_verbatim.sh BUILD_DIR SHARED_DIR   (exit 77 = skipped: no real photos)
set -euo pipefail
build=$(readlink -f "$1") shared=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/scripts/script_test_lib.sh"
dev="$shared/data/dev"
[ -d "$dev" ] || { echo "SKIP: $dev absent (training needs real photos)"; exit 77; }
work=$(mktemp -d "$build/verbatim_test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
make_real_csv "$dev" "$work/real.csv"
repo="$work/faceocc"
mkdir -p "$repo"
cp -r "$root/configs" "$root/assets" "$root/scripts" "$repo/"
ln -s "$build" "$repo/build"
export FACEOCC_REAL="$work/real.csv"
cd "$repo"

build/generator/occgen --occluders assets/ --count 300 > "$work/occgen.log" 2>&1 || { cat "$work/occgen.log"; exit 1; }
shipped=$(find assets/occluders -name '*.json' | wc -l)
ids=$(python3 -c 'import json,sys; s=json.load(open("out/occgen/summary.json")); print(len([a for a in s["occluder_ids"] if not a.startswith("harvest_")]))')
check '[ "$ids" = "$shipped" ]' "occgen loaded all $shipped shipped assets (summary.json: $ids)"
check '! grep -q "warning: occluder" "$work/occgen.log"' "occgen rejected no occluder"
check 'grep -q "faces: the training split'"'"'s [0-9]* clean photos" "$work/occgen.log"' "faces from the real training split's clean photos"
check '[ "$(find out/occgen/aligned112 -name "*.jpg" | wc -l)" -ge 290 ]' "aligned crops written by default"

build/trainer/occtrain --mix 0.3 --epochs 1 --epoch-size 64 > "$work/occtrain.log" 2>&1 || { cat "$work/occtrain.log"; exit 1; }
run=$(ls -1d runs/occtrain-* | tail -1)
drawn=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(d["first_epoch"]["synthetic"]))' "$run/data.json")
check '[ "$drawn" -gt 0 ] && grep -q "out/occgen" "$run/data.json"' "the run drew $drawn synthetic samples from out/occgen"
check '[ -f "$run/final.json" ] && [ -f "$run/model.onnx" ]' "training finished and exported"
check 'grep -q "| 1.0 % |" "$run/thresholds_val.md" && [ -s "$run/roc_val.png" ]' "the run's threshold table and curves on its validation photos"
check 'grep -q "^## Operating point" "$run/MODEL_CARD.md" && grep -q "images with an occluder under MIT" "$run/MODEL_CARD.md"' \
  "the model card names the synthetic data's occluder licences and the operating point"
check '[ -s "$run/operating_point.json" ] && [ -s "$run/reliability_val.png" ] && [ -s "$run/det_val.png" ]' \
  "the run's operating point, reliability diagram and DET curves"

bash scripts/nightly.sh > "$work/nightly.log" 2>&1 || { cat "$work/nightly.log"; exit 1; }
check 'grep -q "done in" "$work/nightly.log" && [ -f out/nightly/report/report.md ]' "one night of the loop, report written"

bash scripts/compare_mixes.sh --set mixes="0 0.3" --set seeds=1 > "$work/compare.log" 2>&1 || { cat "$work/compare.log"; exit 1; }
check '[ "$(grep -c "^| 0.00 | 1 |\|^| 0.30 | 1 |" out/compare_mixes/mixes.md)" = 2 ] && [ -s out/compare_mixes/mixes.png ]' \
  "two-cell mix comparison, table and plot"
echo "verbatim: all checks passed"
