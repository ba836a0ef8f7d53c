#!/usr/bin/env bash
# Compresses all-MiniLM-L6-v2 with every method at several MAC targets and evaluates each
# against the original (docs/results.md). Needs the data of `./structura data fetch spam-assassin`.
# Usage: scripts/results.sh [methods] [targets]   e.g. scripts/results.sh "stat magnitude" "0.5"
# Outputs in $STRUCTURA_RESULTS (default out/results/): <method>-<target>.onnx, .compress.json, .eval.json, .log
# (replaced on a rerun: --force). Environment: STRUCTURA_CALIBRATION (default the SpamAssassin train
# texts; the held-out table uses data/moby-dick/calibration.jsonl), STRUCTURA_SAMPLES (512),
# STRUCTURA_EVAL_LIMIT (600 texts per split), STRUCTURA_LATENCY_ITERATIONS (10 interleaved ONNX Runtime runs per model). The original's embeddings are cached in out/reference-embeddings.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
methods=${1:-"stat magnitude id-prune modegpt svd disp cur"}
targets=${2:-"0.7 0.5 0.3"}
limit=${STRUCTURA_EVAL_LIMIT:-600}
latency=${STRUCTURA_LATENCY_ITERATIONS:-10}
data=data/spam-assassin
calibration=${STRUCTURA_CALIBRATION:-$data/calibration.jsonl}
samples=${STRUCTURA_SAMPLES:-512}
results=${STRUCTURA_RESULTS:-out/results}
[ -f "$data/test.jsonl" ] || ./structura data fetch spam-assassin
[ -f "$calibration" ] || { echo "no $calibration (for Moby-Dick: ./structura data fetch moby-dick)" >&2; exit 1; }
mkdir -p "$results"
for t in $targets; do
  for m in $methods; do
    name="$m-$t"
    echo "== $name" >&2
    ./structura compress --model all-minilm-l6-v2 --method "$m" --target "$t" \
      --calibration "$calibration" --samples "$samples" \
      --out "$results/$name.onnx" --report "$results/$name.compress.json" \
      --plot "$results/$name.widths.png" --force > "$results/$name.log" 2>&1 || { echo "compress $name failed" >&2; continue; }
    ./structura eval --model "$results/$name.onnx" --reference all-minilm-l6-v2 \
      --train "$data/train.jsonl" --data "$data/test.jsonl" --limit "$limit" --latency-iterations "$latency" --reference-cache out/reference-embeddings \
      --report "$results/$name.eval.json" --force >> "$results/$name.log" 2>&1 || echo "eval $name failed" >&2
  done
done
