#!/usr/bin/env bash
# compare_mixes in miniature (2 mixes x 2 seeds, one 64-sample epoch each, ~120
# real photos): the table has one row per mix with both seeds, the plot is
# written, a second run reruns nothing, and a cell that lost its final.json
# is finished from its checkpoint, alone.
# Usage: test_compare_mixes.sh BUILD_DIR SHARED_DIR   (exit 77 = skipped: no real photos)
set -euo pipefail
build=$(readlink -f "$1") shared=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/scripts/script_test_lib.sh"
dev="$shared/data/dev"
[ -d "$dev" ] || { echo "SKIP: $dev absent (the comparison is on real photos)"; exit 77; }
work=$(mktemp -d "$build/compare_mixes_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
make_real_csv "$dev" "$work/real.csv"
run() { FACEOCC_BUILD="$build" bash "$root/scripts/compare_mixes.sh" --set out="$work/out" --set real="$work/real.csv" \
          --set mixes="0 1.0" --set seeds="1 2" --set count=60 --set epoch_size=64; }

run > "$work/1.log" 2>&1 || { cat "$work/1.log"; exit 1; }
check '[ "$(grep -c "^| 0.00 | 2 |" "$work/out/mixes.md")" = 1 ] && [ "$(grep -c "^| 1.00 | 2 |" "$work/out/mixes.md")" = 1 ]' \
  "one table row per mix, each over both seeds"
check 'grep -q "± " "$work/out/mixes.md" && [ -s "$work/out/mixes.png" ]' "mean ± std table and plot written"
check '[ "$(grep -c "compare_mixes: cell" "$work/1.log")" = 4 ]' "first run trained 4 cells"
run > "$work/2.log" 2>&1 || { cat "$work/2.log"; exit 1; }
check '! grep -q "compare_mixes: cell" "$work/2.log"' "second run reran nothing"
rm "$work/out/cells/mix1.0-seed2/final.json"
run > "$work/3.log" 2>&1 || { cat "$work/3.log"; exit 1; }
check '[ "$(grep -c "compare_mixes: cell" "$work/3.log")" = 1 ] && grep -q "resume" "$work/out/cells/mix1.0-seed2.log"' \
  "an unfinished cell is finished from its checkpoint, alone"
# The hand failure-mode check on two of these models: sets made from the validation faces, a table.
FACEOCC_BUILD="$build" bash "$root/scripts/hand_check.sh" --hands sld --count 12 --real "$work/real.csv" --out "$work/hands" \
  "$work/out/cells/mix0-seed1" "$work/out/cells/mix1.0-seed1" > "$work/hands.log" 2>&1 || { cat "$work/hands.log"; exit 1; }
check '[ "$(grep -c "^| hand" "$work/hands/check.md")" = 3 ] && grep -q "p = " "$work/hands/check.md"' \
  "hand check: a row per set (eyes, mouth, decoys), McNemar against the first model"
check 'grep -q "validation split" "$work/hands/covering.log"' "hand check: faces from the validation split"
echo "compare_mixes: all checks passed"
