# Shared by the script tests (test_nightly_loop.sh, test_compare_mixes.sh).

# A fixed small real set: the first photos of each class by name, as a path,class CSV.
make_real_csv() {  # DEV_DIR OUT_CSV
  local dev c
  dev=$(readlink -f "$1")
  echo "path,class" > "$2"
  for c in 0_0_0:40 1_1_0:30 1_0_1:40 1_1_1:10; do
    ls "$dev/${c%%:*}" | sort | awk -v n="${c##*:}" "NR <= n" | sed "s|^|$dev/${c%%:*}/|; s|$|,${c%%:*}|" >> "$2"
  done
}

# check CONDITION DESCRIPTION: evaluates the condition; a failure ends the test.
check() { if ! eval "$1"; then echo "FAIL: $2"; exit 1; fi; echo "ok: $2"; }
