#!/usr/bin/env bash
# GP regression on the full precipitation grid, lazy against FKT, side by side in one script
# (docs/performance.md, "Precipitation on the full grid"). Hyperparameters from
# scripts/precip-gp-hyperparameters.py (block composite exact marginal likelihood at the grid's density).
# Usage: scripts/precip-gp-benchmark.sh [methods...]   (default: fkt lazy; FKT first)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
methods=("${@:-fkt lazy}")
for m in ${methods[@]}; do
  echo "== $m: $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  nice -n 15 ./structura gp --train data/kernel/precip-train.csv --test data/kernel/precip-test.csv --kernel matern52 \
    --method "$m" --lengthscale 0.019372 --outputscale 1.1216e6 --noise 0.0010786 \
    --preconditioner vecchia --preconditioner-neighbours 30 --cg-tolerance 1e-6 --cg-max-iterations 200 \
    --variance nearest --nystrom-baseline 1000 --json "out/precip-$m.json" --force
  echo "== $m done: $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
done
