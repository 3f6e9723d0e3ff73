#!/usr/bin/env bash
# The retraining loop in miniature (40 synthetic samples, 1 short epoch, ~120
# real photos): night A makes the first champion; night B is killed after
# training, the champion and history survive, and the rerun finishes from the
# champion; night C's challenger is forced worse (random head: lr 0) and is not
# promoted; a held lock refuses a second run; a finished night is not redone.
# Usage: test_nightly_loop.sh BUILD_DIR SHARED_DIR   (exit 77 = skipped: no real photos)
set -euo pipefail
build=$(readlink -f "$1") shared=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$root/tests/scripts/script_test_lib.sh"
dev="$shared/data/dev"
[ -d "$dev" ] || { echo "SKIP: $dev absent (the loop needs real labelled photos)"; exit 77; }
work=$(mktemp -d "$build/nightly_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
make_real_csv "$dev" "$work/real.csv"
state="$work/state"
run() { FACEOCC_BUILD="$build" bash "$root/scripts/nightly.sh" --set state="$state" --set real="$work/real.csv" \
          --set count=40 --set epoch_size=128 --set keep=2 "$@"; }
rows() { wc -l < "$state/history.jsonl"; }

run --date 2026-01-01 > "$work/a.log" 2>&1 || { cat "$work/a.log"; exit 1; }
check '[ "$(readlink "$state/champion")" = models/2026-01-01 ]' "night A: first challenger becomes the champion"
check '[ -f "$state/champion/model.pt" ] && [ -f "$state/champion/model.torchscript.pt" ]' "champion holds checkpoint and TorchScript model"
check '[ "$(rows)" = 1 ] && [ -f "$state/report/report.md" ] && [ -f "$state/report/metrics_per_night.png" ]' "history row and report"
check '[ -f "$state/report/realism.md" ] && [ -f "$state/report/realism.png" ]' "realism table and chart in the report"

hist_before=$(cat "$state/history.jsonl")
set +e
FACEOCC_NIGHTLY_KILL_AFTER=train run --date 2026-01-02 > "$work/b1.log" 2>&1
rc=$?
set -e
check '[ $rc -eq 137 ]' "night B killed after training (exit $rc)"
check '[ "$(readlink "$state/champion")" = models/2026-01-01 ] && [ "$(cat "$state/history.jsonl")" = "$hist_before" ]' \
  "the kill left champion and history untouched"
check '[ ! -f "$state/nights/2026-01-02/DONE" ]' "killed night not marked done"
run --date 2026-01-02 > "$work/b2.log" 2>&1 || { cat "$work/b2.log"; exit 1; }
check '! grep -q "trained challenger" "$work/b2.log"' "rerun reused the finished training instead of redoing it"
check '[ "$(cat "$state/nights/2026-01-02/init_from")" = "$(readlink -f "$state/models/2026-01-01")" ]' \
  "night B's challenger started from night A's champion"
check 'grep -q "initialised from .*models/2026-01-01/model.pt" "$state/nights/2026-01-02/train.log"' "occtrain loaded the champion"
check 'grep -q "\"p_value\"" "$state/nights/2026-01-02/eval/compare.json"' "champion and challenger compared on the same photos"
check 'grep -q "| 1.0 % |" "$state/nights/2026-01-02/eval/thresholds_challenger.md" && [ -s "$state/nights/2026-01-02/eval/roc_challenger.png" ]' \
  "occeval wrote the challenger's threshold table and curves"
check '[ "$(rows)" = 2 ]' "rerun appended night B"
check '[ -f "$state/report/errors_champion.png" ] && grep -q "errors_champion.png" "$state/report/report.md"' \
  "the report shows the champion's mistakes"
check '[ -f "$state/champion/model.onnx" ] && grep -q "^## Operating point" "$state/champion/MODEL_CARD.md"' \
  "the champion carries its ONNX model and model card"
check 'grep -q "MODEL_CARD_champion.md" "$state/report/report.md" && grep -q "^# Model card" "$state/report/MODEL_CARD_champion.md"' \
  "the report links the champion's model card"

champ=$(readlink "$state/champion")
run --date 2026-01-03 --set init=pretrained --set occtrain_args="--lr 0" > "$work/c.log" 2>&1 || { cat "$work/c.log"; exit 1; }
check 'grep -q "^no " "$state/nights/2026-01-03/decision"' "night C: forced-worse challenger not promoted"
check '[ "$(readlink "$state/champion")" = "$champ" ]' "champion unchanged after night C"
check '[ "$(rows)" = 3 ] && tail -1 "$state/history.jsonl" | grep -q "\"promoted\":false"' "night C recorded as not promoted"
check '[ ! -d "$state/nights/2026-01-01/synth" ] && [ -d "$state/nights/2026-01-03/synth" ]' "keep=2: oldest night's batch deleted"

run --date 2026-01-03 > "$work/c2.log" 2>&1
check 'grep -q "already done" "$work/c2.log" && [ "$(rows)" = 3 ]' "a finished night is not redone"

flock "$state/lock" sleep 5 &
sleep 1
set +e
run --date 2026-01-04 > "$work/d.log" 2>&1
rc=$?
set -e
wait
check '[ $rc -eq 75 ] && [ ! -d "$state/nights/2026-01-04" ]' "second run refused while the lock is held (exit $rc)"
echo "nightly loop: all checks passed"
