#!/usr/bin/env bash
# Kept for old instructions: the same as `./structura data fetch spam-assassin` (Java, the JDK
# alone), which writes data/spam-assassin/{train,test,calibration}.jsonl and counts.json
# (docs/evaluation.md). --test-subset DIR also writes the committed test subset to DIR.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$root/structura" data fetch spam-assassin --data-dir "$root/data" "$@"
