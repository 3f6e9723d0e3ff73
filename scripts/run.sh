#!/usr/bin/env bash
# README command (a): set up, build, and run the main job on the shipped
# defaults: occgen writes labelled occlusion images from the shipped clean
# faces into out/occgen (settings: configs/occgen.ini; extra args go to occgen),
# then occembed checks the pretrained network on the same faces.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh
faces="${FACEOCC_CACHE:-$HOME/.cache/faceocc}/faces"
echo "run: clean faces: $faces (shipped defaults: face-api demo photos + astronaut.png)"
if [ -d ../shared/data/dev ]; then
  echo "run: real labelled data found in ../shared/data/dev (used by occtrain once it lands; occgen needs none)"
else
  echo "run: no real labelled occlusion data here (../shared/data/dev absent); occgen needs none"
fi
out=out/occgen
resume=()
[ -f "$out/run.json" ] && resume=(--resume)  # a second run finishes (or re-reports) the first, never overwrites it
build/generator/occgen --config configs/occgen.ini --out "$out" --preview "$out/preview.png" "${resume[@]}" "$@"
echo "run: images in $out/<class>/, manifest $out/manifest.csv, summary $out/summary.json, contact sheet $out/preview.png"
build/trainer/occembed --config configs/occembed.ini
