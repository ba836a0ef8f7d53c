#!/usr/bin/env bash
# Kept for old instructions: the same as `./structura data fetch annual-precip co2-concentration`
# (Java, the JDK alone), which writes the Gaussian-process regression splits
# data/kernel/precip-{train,test}.csv and co2-{train,test}.csv (docs/performance.md, "Data").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$root/structura" data fetch annual-precip co2-concentration --data-dir "$root/data" "$@"
