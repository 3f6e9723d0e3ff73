#!/usr/bin/env bash
# README command (a): set up, build, and run the main job on the shipped
# defaults. Today that is occembed: find, align and embed every face in the
# default clean photos with the pretrained MobileFaceNet. Args go to occembed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec build/trainer/occembed --config configs/occembed.ini --summary "$@"
