#!/usr/bin/env bash
# Kept for old instructions: the same as `./structura data fetch bunny` (Java, the JDK alone),
# which writes data/kernel/bunny.csv (the Stanford bunny's 1,839 vertices as x,y,z lines).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$root/structura" data fetch bunny --data-dir "$root/data" "$@"
