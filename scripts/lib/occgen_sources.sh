# Shared by nightly.sh and compare_mixes.sh: where occgen takes its clean faces and extra
# occluders from. occgen itself splits the real photos as occtrain will (same split seed, same
# validation share) and works from the training side only:
#   pool_faces train_split: the training split's 0_0_0 photos (many identities, real framing);
#              shipped:     the shipped clean faces (scripts/setup.sh);
#   harvest    yes: occluders cut from the training split's occluded photos join the library
#              (kept in the faceocc cache between runs); no: the shipped library only.
# occgen_sources POOL_FACES HARVEST SPLIT_SEED REAL...   fills the array OCCGEN_SOURCES.
occgen_sources() {
  local pool_faces=$1 harvest=$2 split_seed=$3 r
  shift 3
  OCCGEN_SOURCES=()
  if [ "$pool_faces" = shipped ] && [ "$harvest" = no ]; then
    OCCGEN_SOURCES=(--real none --faces "${FACEOCC_CACHE:-$HOME/.cache/faceocc}/faces")
    return
  fi
  for r in "$@"; do OCCGEN_SOURCES+=(--real "$r"); done
  OCCGEN_SOURCES+=(--split-seed "$split_seed")
  if [ "$pool_faces" = shipped ]; then OCCGEN_SOURCES+=(--faces "${FACEOCC_CACHE:-$HOME/.cache/faceocc}/faces"); fi
  if [ "$harvest" = no ]; then OCCGEN_SOURCES+=(--no-harvest); fi
}
