#!/usr/bin/env bash
# One night of the retraining loop (safe to run from cron or a systemd timer):
#   1. generate `count` synthetic samples, seed = the night's date (reproducible),
#      reusing the landmark cache (STATE/landmarks);
#   2. fine-tune a challenger from the champion (or the pretrained backbone);
#   3. score champion and challenger on the same fixed real photos (occeval);
#   4. promote the challenger only if McNemar's exact test says it is better;
#   5. append the night to history.jsonl and redraw report/report.md + plots
#      (and report/realism.md + .png: how real the night's synthetic occlusions look);
#   6. keep the last K nights and models.
# Every step leaves a marker, so a night killed anywhere is finished by the next
# run; the champion only changes by one atomic rename of a symlink, after the
# decision is on disk. Nothing partial is ever promoted.
#
#   bash scripts/nightly.sh [--config configs/nightly.ini] [--date YYYY-MM-DD] [--set key=value ...]
# Exit: 0 night done (promoted or not) · 1 a step failed (see the log) · 2 bad config or no real data
#       74 not enough free disk · 75 another night holds the lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
config=configs/nightly.ini date_=$(date +%F)
declare -A set_
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --date) date_=$2; shift 2 ;;
    --set) set_[${2%%=*}]=${2#*=}; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "nightly: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$config" ] || { echo "nightly: config $config not found" >&2; exit 2; }
source scripts/lib/config.sh
source scripts/lib/occgen_sources.sh
source scripts/lib/atomic.sh
[[ "$date_" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "nightly: --date must be YYYY-MM-DD" >&2; exit 2; }
state=$(cfg state) count=$(cfg count) real=$(cfg real) eval_set=$(cfg eval) split_seed=$(cfg split_seed)
mix=$(cfg mix) epochs=$(cfg epochs) epoch_size=$(cfg epoch_size) init=$(cfg init) alpha=$(cfg alpha)
real=${real:-${FACEOCC_REAL:-../shared/data/dev}}  # empty: the tools' default real photos
keep=$(cfg keep) min_free_mb=$(cfg min_free_mb) occtrain_args=$(cfg occtrain_args) occgen_args=$(cfg occgen_args)
for k in state count real split_seed mix epochs epoch_size init alpha keep min_free_mb; do
  [ -n "${!k}" ] || { echo "nightly: $config: '$k' is missing or empty" >&2; exit 2; }
done
case "$init" in champion|pretrained) ;; *) echo "nightly: init must be champion or pretrained" >&2; exit 2 ;; esac
pool_faces=$(cfg pool_faces); pool_faces=${pool_faces:-train_split}
harvest=$(cfg harvest); harvest=${harvest:-yes}
case "$pool_faces" in shipped|train_split) ;; *) echo "nightly: pool_faces must be shipped or train_split" >&2; exit 2 ;; esac
case "$harvest" in yes|no) ;; *) echo "nightly: harvest must be yes or no" >&2; exit 2 ;; esac
for r in $real $eval_set; do
  [ -e "$r" ] || { echo "nightly: real data $r not found: validation and promotion need real labelled photos (set 'real' / 'eval' in $config)" >&2; exit 2; }
done
seed=${date_//-/}  # the night's date as YYYYMMDD: rerunning a night regenerates the same samples
bin=${FACEOCC_BUILD:-build}
[ -x "$bin/trainer/occtrain" ] && [ -x "$bin/trainer/occeval" ] && [ -x "$bin/trainer/occreport" ] || bash scripts/build.sh >&2

mkdir -p "$state/logs" "$state/nights" "$state/models"
exec 9>"$state/lock"
if ! flock -n 9; then echo "nightly: another night is running (lock $state/lock held); exiting" >&2; exit 75; fi
log="$state/logs/$date_.log"
night="$state/nights/$date_"
say() { echo "nightly $date_ $(date +%T): $*"; }
# A finished night is answered before the output goes through tee: tee writes after
# the script has exited, so a caller reading the output at once could miss the line.
if [ -f "$night/DONE" ]; then say "already done (remove $night/DONE to redo)" | tee -a "$log"; exit 0; fi
exec > >(tee -a "$log") 2>&1
fail() { say "FAILED: $*"; exit 1; }
# Test hook: die like a killed process right after a step.
maybe_die() { if [ "${FACEOCC_NIGHTLY_KILL_AFTER:-}" = "$1" ]; then say "test hook: SIGKILL after $1"; kill -KILL $$; fi; }
start=$SECONDS
mkdir -p "$night"
say "state $state, seed $seed, count $count, mix $mix, epochs $epochs, init $init (log $log)"

# 1. Synthetic batch. occgen's own journal makes an interrupted generation resumable.
if [ ! -f "$night/synth/manifest.csv" ]; then
  free_mb=$(df -Pm "$state" | awk 'NR==2{print $4}')
  need_mb=$(( min_free_mb + count * 25 / 1024 ))
  if [ "$free_mb" -lt "$need_mb" ]; then say "only $free_mb MB free under $state, need $need_mb; not generating"; exit 74; fi
  resume=(); [ -f "$night/synth/run.json" ] && resume=(--resume)
  # Clean faces and harvested occluders from the training split of `real` (the split occtrain makes below).
  # shellcheck disable=SC2086
  occgen_sources "$pool_faces" "$harvest" "$split_seed" $real
  gen=(--landmark-cache "$state/landmarks" "${OCCGEN_SOURCES[@]}")
  # shellcheck disable=SC2086
  $bin/generator/occgen --config configs/occgen.ini --count "$count" --seed "$seed" --aligned 112 --out "$night/synth" \
    "${gen[@]}" "${resume[@]}" $occgen_args || { rc=$?; [ $rc -eq 3 ] && say "occgen: some samples unfilled (see $night/synth/summary.json); going on" || fail "occgen exit $rc"; }
  say "generated $night/synth"
fi
maybe_die generate
# How real tonight's synthetic occlusions look (occrealism: real-vs-synthetic AUC per family; ~15 s).
if [ ! -f "$night/realism/realism.md" ]; then
  realism=(--synthetic "$night/synth" --out "$night/realism")
  for r in $real; do realism+=(--real "$r"); done
  $bin/trainer/occrealism "${realism[@]}" > "$night/realism.log" 2>&1 || say "occrealism failed (see $night/realism.log); going on"
fi

# 2. Challenger. --resume continues a run that was killed mid-epoch.
champion="$state/champion"
if [ ! -f "$night/run/final.json" ]; then
  args=(--config configs/occtrain.ini --synthetic "$night/synth" --mix "$mix" --epochs "$epochs" --epoch-size "$epoch_size"
        --seed "$seed" --split-seed "$split_seed" --out "$night/run")
  for r in $real; do args+=(--real "$r"); done
  if [ -f "$night/run/last.pt" ]; then
    args+=(--resume)
  else
    rm -rf "$night/run"
    if [ "$init" = champion ] && [ -f "$champion/model.pt" ]; then
      args+=(--init "$(readlink -f "$champion/model.pt")")
      # The champion the challenger started from, for the record.
      mkdir -p "$night"; readlink -f "$champion" > "$night/init_from"
    fi
  fi
  # shellcheck disable=SC2086
  $bin/trainer/occtrain "${args[@]}" $occtrain_args > "$night/train.log" 2>&1 || fail "occtrain (see $night/train.log)"
  say "trained challenger $night/run"
fi
maybe_die train

# 3 + 4. Decision, written once, atomically; everything after it is idempotent.
if [ ! -f "$night/decision" ]; then
  ev=()
  if [ -n "$eval_set" ]; then for e in $eval_set; do ev+=(--real "$e"); done; else ev=(--real "$night/run/validation.csv"); fi
  rm -rf "$night/eval"
  if [ -f "$champion/model.torchscript.pt" ]; then
    $bin/trainer/occeval --model "$champion/model.torchscript.pt" --model "$night/run/model.torchscript.pt" \
      --label champion --label challenger --compare --alpha "$alpha" "${ev[@]}" --out "$night/eval" > "$night/eval.log" 2>&1 \
      || fail "occeval (see $night/eval.log)"
    tail -1 "$night/eval.log"
    if grep -q '"promote": true' "$night/eval/compare.json"; then
      decision="yes challenger better on the evaluation photos (McNemar exact p < $alpha)"
    else
      decision="no challenger not significantly better than the champion (McNemar exact, alpha $alpha)"
    fi
  else
    $bin/trainer/occeval --model "$night/run/model.torchscript.pt" --label challenger "${ev[@]}" --out "$night/eval" \
      > "$night/eval.log" 2>&1 || fail "occeval (see $night/eval.log)"
    decision="yes first night: no champion yet"
  fi
  printf '%s\n' "$decision" > "$night/decision.tmp" && mv "$night/decision.tmp" "$night/decision"
fi
maybe_die decide
decision=$(cat "$night/decision")
say "decision: $decision"

# Promotion: the model files are complete in models/<night> before the symlink moves.
if [ "${decision%% *}" = yes ] && [ "$(readlink -f "$champion" 2>/dev/null)" != "$(readlink -f "$state/models/$date_" 2>/dev/null)" ]; then
  m="$state/models/$date_"
  rm -rf "$m.tmp" && mkdir -p "$m.tmp"
  cp "$night/run/best.pt" "$m.tmp/model.pt"
  cp "$night/run/model.torchscript.pt" "$night/run/config.ini" "$night/run/final.json" "$m.tmp/"
  # What an app ships and reads: the ONNX model (with its operating point), the card, the threshold records.
  for f in model.onnx MODEL_CARD.md operating_point.json calibration_val.json thresholds_val.md; do
    [ -f "$night/run/$f" ] && cp "$night/run/$f" "$m.tmp/"
  done
  cp "$night/eval/metrics_challenger.json" "$m.tmp/metrics.json"
  rm -rf "$m" && mv "$m.tmp" "$m"
  ln -sfn "models/$date_" "$state/champion.tmp" && mv -T "$state/champion.tmp" "$champion"
  say "promoted: champion is now models/$date_"
fi
maybe_die promote

# 5. History (once per night) and report.
mkdir -p "$state/report"
for who in champion challenger; do
  for f in confusion errors; do
    [ -f "$night/eval/${f}_$who.png" ] && cp_atomic "$night/eval/${f}_$who.png" "$state/report/${f}_$who.png"
  done
done
for f in realism.md realism.png; do [ -f "$night/realism/$f" ] && cp_atomic "$night/realism/$f" "$state/report/$f"; done
[ -f "$champion/MODEL_CARD.md" ] && cp_atomic "$champion/MODEL_CARD.md" "$state/report/MODEL_CARD_champion.md"
hist=(--history "$state/history.jsonl" --report-dir "$state/report" --night "$date_" --seed "$seed" --run "$night/run"
      --challenger-metrics "$night/eval/metrics_challenger.json" --promoted "${decision%% *}" --reason "${decision#* }"
      --wall-s "$((SECONDS - start))")
[ -f "$night/eval/metrics_champion.json" ] && hist+=(--champion-metrics "$night/eval/metrics_champion.json" --compare "$night/eval/compare.json")
$bin/trainer/occreport history "${hist[@]}" || fail "occreport"

# 6. Retention: last K nights' batches and runs; last K models plus the champion.
ls -1d "$state"/nights/????-??-?? 2>/dev/null | sort | head -n -"$keep" | while read -r old; do
  [ "$old" = "$night" ] || { rm -rf "$old/synth" "$old/run"; }
done
current=$(readlink -f "$champion" 2>/dev/null || true)
ls -1d "$state"/models/????-??-?? 2>/dev/null | sort | head -n -"$keep" | while read -r old; do
  [ "$(readlink -f "$old")" = "$current" ] || rm -rf "$old"
done
touch "$night/DONE"
say "done in $((SECONDS - start)) s; champion: $(readlink "$champion" 2>/dev/null || echo none); report $state/report/report.md"
