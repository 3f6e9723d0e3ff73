# Shared by the scripts that read an INI of "key = value" lines (nightly.sh,
# compare_mixes.sh). The caller sets $config and the associative array set_
# (--set key=value overrides); cfg KEY prints the value, the last line winning.
cfg() {
  if [ -n "${set_[$1]+x}" ]; then echo "${set_[$1]}"; return; fi
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)\?[[:space:]]*$/\1/p" "$config" | tail -1
}
