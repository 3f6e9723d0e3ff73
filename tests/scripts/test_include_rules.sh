#!/usr/bin/env bash
# The floor plan's include rules (README, Layout), checked on every source file:
#   - the base headers (common/include/faceocc/*.hpp) include nothing of ours;
#   - common/ includes only common/;
#   - the generator never includes the trainer or the check;
#   - the check includes only common/ and itself;
#   - the LibTorch core (trainer model/ and learn/) includes no OpenCV and nothing of
#     ours but the base and itself.
# Usage: test_include_rules.sh SOURCE_DIR. Prints every broken include; exit 1 if any.
set -uo pipefail
cd "${1:?source dir}" || exit 1
ours() { grep -Hn '#include "faceocc/' "$@" /dev/null; }
header_of() { sed 's/.*#include "\(faceocc\/[^"]*\)".*/\1/'; }
only_from() {  # keep the lines whose header lives in none of the folders given
  while IFS= read -r line; do
    h=$(echo "$line" | header_of)
    found=0
    for d in "$@"; do [ -f "$d/$h" ] && found=1; done
    [ $found -eq 1 ] || echo "$line"
  done
}
files_in() { find "$@" -name '*.hpp' -o -name '*.cpp'; }
base_dir=$(mktemp -d)
trap 'rm -rf "$base_dir"' EXIT
mkdir -p "$base_dir/faceocc"
cp common/include/faceocc/*.hpp "$base_dir/faceocc/"
core=$(files_in trainer/include/faceocc/train/model trainer/include/faceocc/train/learn trainer/src/model trainer/src/learn)
report=$(
  ours common/include/faceocc/*.hpp | sed 's/^/the base headers include nothing of ours: /'
  ours $(files_in common) | only_from common/include | sed 's/^/common\/ includes only common\/: /'
  ours $(files_in generator) | grep -E '"faceocc/(train|check)/' | sed 's/^/the generator never includes the trainer or the check: /'
  ours $(files_in check) | only_from common/include check/include | sed 's/^/the check includes only common\/ and itself: /'
  grep -Hn '#include <opencv2/' $core /dev/null | sed 's/^/the LibTorch core (model\/, learn\/) includes no OpenCV: /'
  ours $core | grep -vE '"faceocc/train/(model|learn)/' | only_from "$base_dir" | sed 's/^/the LibTorch core includes only the base and itself: /'
)
if [ -n "$report" ]; then
  echo "$report"
  exit 1
fi
echo "include rules kept in $(files_in common generator trainer check | wc -l) files"
