#!/usr/bin/env bash
# The hand failure-mode check: occluded versions of the real photos' *validation* clean faces (faces no
# model trained on), made with one hand set only (the other one is what the models under test may have
# trained with), and scored per model:
#   hands over the eyes   -> called upper or both?   hands over the mouth -> called lower or both?
#   hand decoys (a hand on a cheek, the chin, the forehead, the temple, covering neither) -> called none?
# with McNemar's exact test of every model against the first (give the real-only model first).
#
#   bash scripts/hand_check.sh --hands sld --out out/hand_check/sld RUN_REAL_ONLY RUN_MIX ...
#
# Options: --hands rps|sld (default sld), --count N images per set (default 300), --out DIR,
# --real DIR (default $FACEOCC_REAL, else ../shared/data/dev), --split-seed S (default 1; the models'
# split seed: their validation faces are the ones used). Writes DIR/check.md (the table) and, per model,
# occeval's confusion matrix DIR/eval/confusion_<label>.png.
set -euo pipefail
cd "$(dirname "$0")/.."

hands=sld count=300 out="" real="${FACEOCC_REAL:-../shared/data/dev}" split_seed=1 models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --hands) hands="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --real) real="$2"; shift 2 ;;
    --split-seed) split_seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "hand_check: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
case "$hands" in rps|sld) ;; *) echo "hand_check: --hands must be rps or sld, not '$hands'" >&2; exit 2 ;; esac
[ "${#models[@]}" -ge 1 ] || { echo "hand_check: give at least one occtrain run folder (real-only first)" >&2; exit 2; }
for m in "${models[@]}"; do [ -e "$m" ] || { echo "hand_check: $m: no such model or run folder" >&2; exit 2; }; done
[ -d "assets/occluders/hands_$hands" ] || { echo "hand_check: assets/occluders/hands_$hands: not found" >&2; exit 2; }
[ -e "$real" ] || { echo "hand_check: --real $real: no such folder or CSV" >&2; exit 2; }
out="${out:-out/hand_check/$hands}"
bin=${FACEOCC_BUILD:-build}
mkdir -p "$out"

# Two sets, each from the validation faces, one hand set, nothing else drawn on them.
common=(--real "$real" --faces-from validation --split-seed "$split_seed" --occluders "assets/occluders/hands_$hands" --no-harvest
        --decoy 0 --eyeglasses 0 --count "$count" --seed 7 --aligned 112)
make_set() {  # name, what, occgen options; a finished set (same seed, same bytes) is scored again, not remade
  if [ -f "$out/$1/summary.json" ]; then echo "hand_check: $2: $out/$1 (made earlier)"; return; fi
  echo "hand_check: $2 ($count images, log $out/$1.log)"
  "$bin/generator/occgen" "${common[@]}" "${@:3}" --out "$out/$1" > "$out/$1.log" 2>&1 ||
    { echo "hand_check: occgen failed, see $out/$1.log" >&2; exit 1; }
}
make_set covering "hands over eyes and mouth" --classes 0_0_0=0,1_1_0=1,1_0_1=1,1_1_1=0 --touch 0
make_set decoys "hand decoys" --classes 0_0_0=1,1_1_0=0,1_0_1=0,1_1_1=0 --touch 1

labels=()
for i in "${!models[@]}"; do
  label="m$((i + 1))"
  labels+=("$label")
  echo "hand_check: scoring ${models[$i]} as $label (log $out/eval_$label.log)"
  "$bin/trainer/occeval" --model "${models[$i]}" --label "$label" --real "$out/covering" --real "$out/decoys" \
    --gallery 0 --out "$out/eval" > "$out/eval_$label.log" 2>&1
done

python3 - "$out" "${models[@]}" <<'EOF'
import csv, math, sys
out, models = sys.argv[1], sys.argv[2:]
def ok(true, pred):  # the check's rule: the covered region is named (both counts), a decoy is passed
    if true == "1_1_0": return pred in ("1_1_0", "1_1_1")
    if true == "1_0_1": return pred in ("1_0_1", "1_1_1")
    return pred == "0_0_0"
rows = []
for i, m in enumerate(models):
    with open(f"{out}/eval/predictions_m{i + 1}.csv") as f:
        rows.append({r["path"]: (r["true"], r["predicted"]) for r in csv.DictReader(f)})
common = sorted(set.intersection(*(set(r) for r in rows)))
kinds = [("1_1_0", "hands over the eyes: upper or both"), ("1_0_1", "hands over the mouth: lower or both"),
         ("0_0_0", "hand decoys: none")]
def mcnemar(b, c):  # exact two-sided
    n = b + c
    if n == 0: return 1.0
    k = min(b, c)
    return min(1.0, 2 * sum(math.comb(n, j) for j in range(k + 1)) / 2 ** n)
lines = ["| set | n | " + " | ".join(f"m{i + 1}" for i in range(len(models))) + " | " +
         " | ".join(f"m{i + 1} vs m1 (right only in m1 / m{i + 1}, p)" for i in range(1, len(models))) + " |",
         "|---|---|" + "---|" * (2 * len(models) - 1)]
calls = []
for cls, name in kinds:
    paths = [p for p in common if rows[0][p][0] == cls]
    right = [[ok(*r[p]) for p in paths] for r in rows]
    cells = [f"{sum(x) / max(1, len(x)):.3f}" for x in right]
    tests = []
    for i in range(1, len(models)):
        b = sum(a and not c for a, c in zip(right[0], right[i]))
        c = sum(c and not a for a, c in zip(right[0], right[i]))
        tests.append(f"{b} / {c}, p = {mcnemar(b, c):.2g}")
    lines.append(f"| {name} | {len(paths)} | " + " | ".join(cells) + " | " + " | ".join(tests) + " |")
    # What each model called them, below the table.
    for i, r in enumerate(rows):
        called = {}
        for p in paths: called[r[p][1]] = called.get(r[p][1], 0) + 1
        calls.append(f"- {name}, m{i + 1} called: " + ", ".join(f"{k} {v}" for k, v in sorted(called.items())))
models_md = "\n".join(f"- m{i + 1}: {m}" for i, m in enumerate(models))
text = f"# Hand failure-mode check\n\n{models_md}\n\n" + "\n".join(lines) + "\n\n" + "\n".join(calls) + "\n"
open(f"{out}/check.md", "w").write(text)
print(text)
EOF
