#!/usr/bin/env bash
# How much synthetic data helps: trains one model per (mix ratio, seed) with the
# same budget, scores all on the same real validation photos (split by source
# photo with a fixed split seed), and writes OUT/mixes.md (mean +- std over seeds
# of accuracy, macro-F1 and recall per class) and OUT/mixes.png (metric vs mix,
# error bars). Resumable: finished cells (final.json) are never rerun; a cell
# killed mid-run continues from its last finished epoch.
#
#   bash scripts/compare_mixes.sh [--config configs/compare_mixes.ini] [--set key=value ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
config=configs/compare_mixes.ini
declare -A set_
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --set) set_[${2%%=*}]=${2#*=}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "compare_mixes: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$config" ] || { echo "compare_mixes: config $config not found" >&2; exit 2; }
cfg() {
  if [ -n "${set_[$1]+x}" ]; then echo "${set_[$1]}"; return; fi
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)\?[[:space:]]*$/\1/p" "$config" | tail -1
}
out=$(cfg out) real=$(cfg real) split_seed=$(cfg split_seed) mixes=$(cfg mixes) seeds=$(cfg seeds)
count=$(cfg count) epochs=$(cfg epochs) epoch_size=$(cfg epoch_size) occtrain_args=$(cfg occtrain_args)
for k in out real split_seed mixes seeds count epochs epoch_size; do
  [ -n "${!k}" ] || { echo "compare_mixes: $config: '$k' is missing or empty" >&2; exit 2; }
done
for r in $real; do
  [ -e "$r" ] || { echo "compare_mixes: real data $r not found: the comparison is on real photos (set 'real' in $config)" >&2; exit 2; }
done
bin=${FACEOCC_BUILD:-build}
[ -x "$bin/trainer/occtrain" ] && [ -x "$bin/trainer/occreport" ] || bash scripts/build.sh >&2
mkdir -p "$out/cells"
syn="$out/synthetic"
if [ ! -f "$syn/manifest.csv" ]; then  # one pool for every cell; an interrupted generation is resumed
  resume=(); [ -f "$syn/run.json" ] && resume=(--resume)
  "$bin/generator/occgen" --config configs/occgen.ini --count "$count" --seed 1 --aligned 112 --out "$syn" "${resume[@]}" >/dev/null \
    || [ $? -eq 3 ] || { echo "compare_mixes: occgen failed" >&2; exit 1; }
fi
total=0 done_=0
for m in $mixes; do for s in $seeds; do total=$((total + 1)); done; done
for m in $mixes; do
  for s in $seeds; do
    cell="$out/cells/mix$m-seed$s"
    if [ -f "$cell/final.json" ]; then done_=$((done_ + 1)); continue; fi
    args=(--config configs/occtrain.ini --synthetic "$syn" --mix "$m" --seed "$s" --split-seed "$split_seed"
          --epochs "$epochs" --epoch-size "$epoch_size" --out "$cell")
    for r in $real; do args+=(--real "$r"); done
    if [ -f "$cell/last.pt" ]; then args+=(--resume); else rm -rf "$cell"; mkdir -p "$cell"; fi
    echo "compare_mixes: cell $((done_ + 1))/$total: mix $m, seed $s" >&2
    # shellcheck disable=SC2086
    "$bin/trainer/occtrain" "${args[@]}" $occtrain_args > "$cell.log" 2>&1 || { echo "compare_mixes: mix $m seed $s failed, see $cell.log" >&2; exit 1; }
    done_=$((done_ + 1))
  done
done
"$bin/trainer/occreport" mixes --cells "$out/cells" --out "$out"
echo "compare_mixes: table $out/mixes.md, plot $out/mixes.png" >&2
