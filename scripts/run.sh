#!/usr/bin/env bash
# README command (a): set up, build, and run the main job on the shipped defaults:
#  1. occgen writes labelled occlusion images (+ 112x112 aligned crops for training)
#     into out/occgen (configs/occgen.ini; extra args go to occgen): with real photos present,
#     from their training split's clean faces, with occluders cut from its occluded photos next
#     to the shipped ones (occgen's own defaults); without, from the shipped clean faces;
#  2. occtrain fine-tunes the pretrained MobileFaceNet on real + synthetic (mix 0.3, 2 epochs
#     here: a demo, not a full training) -- only when real labelled photos exist, because
#     validation must be real: $FACEOCC_REAL, else ../shared/data/dev;
#  3. occpredict runs the trained model on the shipped clean faces.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh
faces="${FACEOCC_CACHE:-$HOME/.cache/faceocc}/faces"

real="${FACEOCC_REAL:-../shared/data/dev}"
gen=(--real none)
if [ -d "$real" ]; then
  # Real photos present: occgen takes its clean faces from their training split (the split occtrain
  # makes below) and cuts occluders out of its occluded photos (kept in the faceocc cache).
  echo "run: real labelled photos: $real (occgen: faces from their training split, occluders cut from it)"
  gen=(--real "$real" --split-seed 1)
fi

out=out/occgen
resume=()
[ -f "$out/run.json" ] && resume=(--resume)  # a second run finishes (or re-reports) the first, never overwrites it
build/generator/occgen --config configs/occgen.ini --aligned 112 --out "$out" --preview "$out/preview.png" "${gen[@]}" "${resume[@]}" "$@"
echo "run: images in $out/<class>/, manifest $out/manifest.csv, summary $out/summary.json, contact sheet $out/preview.png"

if [ ! -d "$real" ]; then
  echo "run: no real labelled photos ($real absent; set FACEOCC_REAL=DIR in the <class>/ layout):"
  echo "run: skipping occtrain and occpredict, since validation must be on real photos. No registry offers any."
  exit 0
fi
run_dir="runs/demo-$(date +%Y%m%d-%H%M%S)"
build/trainer/occtrain --config configs/occtrain.ini --real "$real" --synthetic "$out" --split-seed 1 --mix 0.3 --epochs 2 --out "$run_dir"
echo "run: trained model and reports in $run_dir (confusion_val.png, metrics.jsonl, model.torchscript.pt)"
echo "run: occpredict on the shipped clean faces ($faces)"
build/trainer/occpredict --run "$run_dir" "$faces" || true  # exit 4 just means some photo had no face
