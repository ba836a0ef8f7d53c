#!/bin/sh
# Every CPU-performance target of issue 17 on this host, side by side with its peer in the same
# run, into one folder: the host (processor, vector width, OpenBLAS kernel), the GEMM and Gram
# table against OpenBLAS, the dense QRs against LAPACK, the pivoted Cholesky against dpstrf, the
# MiniLM forward pass against ONNX Runtime and the README's compression job, timed. Meant for a
# host where the numbers are new (an AVX-512 one above all); about 12 minutes on 2 Zen 1 cores.
#
#   benchmarks/run-cpu-targets.sh                       # everything, into out/cpu-targets-<UTC time>
#   STEPS="gemm forward" benchmarks/run-cpu-targets.sh out/x   # some steps, into out/x
#
# Steps: host gemm qr cholesky forward job. Each writes <step>.txt; report.md has them all in
# order. On an AVX-512 host the OpenBLAS steps ask for its AVX-512 kernel (benchmarks/
# openblas-env.sh; benchmark processes only, never tests or CI). The job step fetches the
# SpamAssassin corpus if it is missing and writes its ONNX file and report into the folder.
# Quiet hosts only: other processes move every ratio (docs/performance.md records the load).
set -e
cd "$(dirname "$0")/.."
out=${1:-out/cpu-targets-$(date -u +%Y%m%dT%H%MZ)}
mkdir -p "$out"
steps=${STEPS:-host gemm qr cholesky forward job}

host() {
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "processor: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); $(nproc) logical CPUs"
  for f in avx2 fma avx512f avx512_bf16 amx_tile; do
    grep -qw "$f" /proc/cpuinfo && printf '%s ' "$f"
  done
  echo "(vector flags present)"
  . benchmarks/openblas-env.sh
  echo "OpenBLAS environment for the benchmarks: ${OPENBLAS_ENV:-(none: OpenBLAS picks its kernel)}"
  echo "load average: $(cat /proc/loadavg)"
}

gemm() {
  benchmarks/run-gemm.sh --shapes 1024,2048,4096x384x384,4096x384x1536,4096x1536x384 \
    --dtypes F32,F64 --gram-rows 5461 --gram-n 1536 --no-ejml --header &&
  benchmarks/run-gemm.sh --shapes 64 --dtypes F32 --gram-rows 8192 --gram-n 384 --no-ejml
}

qr() { benchmarks/run-qr.sh 8192 1024 7 1,2 F64; }

cholesky() { benchmarks/run-pivoted-cholesky.sh; }

forward() { benchmarks/run-forward.sh 8 1,2; }

job() {
  # (set -e does not hold inside a function called from an || list: every step is chained)
  { [ -f data/spam-assassin/calibration.jsonl ] || ./structura data fetch spam-assassin; } || return
  start=$(date +%s)
  # the README's first command, with the output into this folder
  ./structura compress --model all-minilm-l6-v2 --method stat --target 0.5 \
    --calibration data/spam-assassin/calibration.jsonl --samples 512 \
    --out "$out/minilm-stat50.onnx" --report "$out/minilm-stat50.json" --force || return
  echo "wall: $(( $(date +%s) - start )) s"
  echo "stage seconds: $(tr -s "\n " " " < "$out/minilm-stat50.json" | sed -n 's/.*"stageSeconds" *: *{ *\([^}]*\)}.*/\1/p')"
  echo "ONNX sha256: $(sha256sum "$out/minilm-stat50.onnx" | cut -d' ' -f1)"
}

: > "$out/report.md"
for s in $steps; do
  echo "== $s ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$s" > "$out/$s.txt" 2>&1 || { echo "step $s failed; see $out/$s.txt" >&2; tail -n 20 "$out/$s.txt" >&2; exit 1; }
  { echo "## $s"; echo; echo '```'; grep -Ev '^(WARNING|INFO)|^[A-Z][a-z]{2} [0-9]{2}, [0-9]{4} ' "$out/$s.txt"; echo '```'; echo; } >> "$out/report.md"
done
echo "report: $out/report.md" >&2
