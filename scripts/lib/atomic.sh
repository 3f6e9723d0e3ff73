# Shell twin of faceocc/atomic_file.hpp for the scripts: a reader sees the old
# file or the whole new one, never half of it. Source it, then:
#   cp_atomic SRC DST      copy through DST.tmp.<pid> and a rename
cp_atomic() {
  local tmp="$2.tmp.$$"
  cp "$1" "$tmp" && mv -f "$tmp" "$2" || { rm -f "$tmp"; return 1; }
}
