#!/usr/bin/env bash
# Compresses all-MiniLM-L6-v2 with every method at several MAC targets and evaluates each
# against the original (docs/results.md). Needs the data of scripts/fetch-spam-assassin.sh.
# Usage: scripts/results.sh [methods] [targets]   e.g. scripts/results.sh "stat magnitude" "0.5"
# Outputs in out/results/: <method>-<target>.onnx, .compress.json, .eval.json, .log (replaced on a rerun: --force)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
methods=${1:-"stat magnitude id-prune modegpt svd disp cur"}
targets=${2:-"0.7 0.5 0.3"}
limit=${STRUCTURA_EVAL_LIMIT:-600}
data=data/spam-assassin
[ -f "$data/calibration.jsonl" ] || scripts/fetch-spam-assassin.sh
mkdir -p out/results
for t in $targets; do
  for m in $methods; do
    name="$m-$t"
    echo "== $name" >&2
    ./structura compress --model all-minilm-l6-v2 --method "$m" --target "$t" \
      --calibration "$data/calibration.jsonl" --samples 512 \
      --out "out/results/$name.onnx" --report "out/results/$name.compress.json" \
      --plot "out/results/$name.widths.png" --force > "out/results/$name.log" 2>&1 || { echo "compress $name failed" >&2; continue; }
    ./structura eval --model "out/results/$name.onnx" --reference all-minilm-l6-v2 \
      --train "$data/train.jsonl" --data "$data/test.jsonl" --limit "$limit" \
      --report "out/results/$name.eval.json" --force >> "out/results/$name.log" 2>&1 || echo "eval $name failed" >&2
  done
done
