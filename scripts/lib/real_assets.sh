# Shared by run.sh, nightly.sh and compare_mixes.sh: when real labelled photos
# are present, occgen works from them too, always on the training side of the
# split occtrain will make (same split seed, same validation fraction):
#   - clean faces: the training split's 0_0_0 photos (many identities, real
#     framing) instead of the seven shipped photos;
#   - occluders: cut-outs harvested from the training split's occluded photos
#     (occharvest) next to the shipped library.
# real_assets DIR SPLIT_SEED BIN PHOTOS...   fills the arrays REAL_FACES_ARGS and
# REAL_HARVEST_ARGS (occgen arguments for each).
# Resumable: the split, the landmark cache and the harvest are reused.
real_assets() {
  local dir=$1 split_seed=$2 bin=$3
  shift 3
  local real_args=() r
  for r in "$@"; do real_args+=(--real "$r"); done
  mkdir -p "$dir"
  if [ ! -f "$dir/split/train.csv" ]; then
    "$bin/trainer/occtrain" --config configs/occtrain.ini --split-only --split-seed "$split_seed" --out "$dir/split" \
      "${real_args[@]}" > "$dir/split.log" 2>&1 || { echo "real_assets: split failed, see $dir/split.log" >&2; return 1; }
  fi
  mkdir -p "$dir/pool_faces"
  grep ',0_0_0$' "$dir/split/train.csv" | cut -d, -f1 | while read -r p; do
    ln -sf "$p" "$dir/pool_faces/$(basename "$p")"
  done
  "$bin/trainer/occharvest" --split-seed "$split_seed" --out "$dir/harvest" "${real_args[@]}" > "$dir/harvest.log" 2>&1 \
    || { echo "real_assets: occharvest failed, see $dir/harvest.log" >&2; return 1; }
  REAL_FACES_ARGS=(--faces "$dir/pool_faces" --landmark-cache "$dir/pool_landmarks")
  REAL_HARVEST_ARGS=(--more-occluders "$dir/harvest")
}
