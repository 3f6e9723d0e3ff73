#!/usr/bin/env bash
# How much synthetic data helps: trains one model per (mix ratio, seed) with the
# same budget, scores all on the same real validation photos (split by source
# photo with a fixed split seed), and writes OUT/mixes.md (mean +- std over seeds
# of accuracy, macro-F1 and recall per class) and OUT/mixes.png (metric vs mix,
# error bars). Resumable: finished cells (final.json) are never rerun; a cell
# killed mid-run continues from its last finished epoch. With proxy_count > 0 it
# also scores every cell on a synthetic proxy of hair-over-eyes and covered-chin
# photos made from the validation split's clean faces (see below).
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
source scripts/lib/config.sh
source scripts/lib/occgen_sources.sh
out=$(cfg out) real=$(cfg real) split_seed=$(cfg split_seed) mixes=$(cfg mixes) seeds=$(cfg seeds)
count=$(cfg count) epochs=$(cfg epochs) epoch_size=$(cfg epoch_size) occtrain_args=$(cfg occtrain_args) occgen_args=$(cfg occgen_args)
real=${real:-${FACEOCC_REAL:-../shared/data/dev}}  # empty: the tools' default real photos
proxy_count=$(cfg proxy_count); proxy_count=${proxy_count:-0}
pool_faces=$(cfg pool_faces); pool_faces=${pool_faces:-train_split}
case "$pool_faces" in shipped|train_split) ;; *) echo "compare_mixes: pool_faces must be shipped or train_split" >&2; exit 2 ;; esac
harvest=$(cfg harvest); harvest=${harvest:-yes}
case "$harvest" in yes|no) ;; *) echo "compare_mixes: harvest must be yes or no" >&2; exit 2 ;; esac
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
  # shellcheck disable=SC2086
  occgen_sources "$pool_faces" "$harvest" "$split_seed" $real
  resume=(); [ -f "$syn/run.json" ] && resume=(--resume)
  # shellcheck disable=SC2086
  "$bin/generator/occgen" --config configs/occgen.ini --count "$count" --seed 1 --aligned 112 --out "$syn" "${OCCGEN_SOURCES[@]}" \
    "${resume[@]}" $occgen_args > "$out/occgen.log" 2>&1 || [ $? -eq 3 ] || { echo "compare_mixes: occgen failed, see $out/occgen.log" >&2; exit 1; }
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

# Synthetic proxy for the failure classes the real set lacks (hair over the eyes,
# covered chins): occgen on the clean faces of the validation split (never in
# any training set), kept where the only occluders are hair (-> upper) or chin
# covers (-> lower), plus clean faces; every cell's model is scored on it.
if [ "$proxy_count" -gt 0 ]; then
  px="$out/proxy"
  first=$(ls -1d "$out"/cells/*/ | head -n 1)
  if [ ! -f "$px/proxy.csv" ]; then
    mkdir -p "$px/faces"
    grep ',0_0_0$' "$first/validation.csv" | cut -d, -f1 | while read -r p; do ln -sf "$p" "$px/faces/$(basename "$p")"; done
    resume=(); [ -f "$px/synth/run.json" ] && resume=(--resume)
    "$bin/generator/occgen" --config configs/occgen.ini --faces "$px/faces" --count "$proxy_count" --seed 777 \
      --classes 0_0_0=1,1_1_0=1,1_0_1=1 --landmark-cache "$px/landmarks" --out "$px/synth" "${resume[@]}" > "$px/occgen.log" 2>&1 \
      || [ $? -eq 3 ] || { echo "compare_mixes: proxy occgen failed, see $px/occgen.log" >&2; exit 1; }
    awk -F, -v d="$(readlink -f "$px/synth")" 'NR == 1 { print "path,class"; next }
      { n = split($6, occ, "|"); keep = ($2 == "0_0_0")
        if ($2 == "1_1_0" || $2 == "1_0_1") { keep = 1
          for (i = 1; i <= n; i++) {
            if ($2 == "1_1_0" && occ[i] !~ /^hair_/) keep = 0
            if ($2 == "1_0_1" && occ[i] !~ /^(hand_chin|scarf|turtleneck)_/) keep = 0 } }
        if (keep) print d "/" $2 "/" $1 ".jpg," $2 }' "$px/synth/manifest.csv" > "$px/proxy.csv.tmp"
    mv "$px/proxy.csv.tmp" "$px/proxy.csv"
  fi
  for cell in "$out"/cells/*/; do
    [ -f "$cell/proxy/metrics_m1.json" ] || "$bin/trainer/occeval" --model "$cell" --real "$px/proxy.csv" --out "$cell/proxy" \
      > "${cell%/}.proxy.log" 2>&1 || { echo "compare_mixes: proxy scoring of $cell failed, see ${cell%/}.proxy.log" >&2; exit 1; }
  done
fi
"$bin/trainer/occreport" mixes --cells "$out/cells" --out "$out"
echo "compare_mixes: table $out/mixes.md, plot $out/mixes.png" >&2
