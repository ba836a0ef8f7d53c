#!/usr/bin/env bash
# The CPU targets of issue 17 that need no model, on a machine without Java or OpenBLAS (a lent
# device machine): GEMM and Gram against OpenBLAS (SideBySide, the shapes of
# benchmarks/run-cpu-targets.sh), HouseholderQr / pivoted QR / HQRRP against dgeqrf / dgeqp3,
# and the pivoted Cholesky against dpstrf, each on 1 and 2 threads. Run from the unpacked bundle
# that make-bundle.sh builds:
#
#   tar xzf target/cpu-bundle.tgz -C /tmp && OUT=/some/dir bash /tmp/cpu-bundle/cpu-session.sh
#
# On an AVX-512 processor OpenBLAS is asked for its AVX-512 kernel (OPENBLAS_CORETYPE=SkylakeX,
# OPENBLAS_L2_SIZE unset), as benchmarks/openblas-env.sh does; each table prints the kernel in
# use. STEPS="machine gemm qr cholesky" selects steps; each runs under its own timeout and logs
# to $OUT/<step>.log; a failing step does not stop the others. About 7 minutes on 2 Zen 1 cores.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$here/out}
mkdir -p "$OUT"
java="$here/jdk/bin/java"
CP="$here/lib/*"
for d in "$here"/classes/*; do CP="$CP:$d"; done
STEPS=${STEPS:-"machine gemm qr cholesky"}
THREADS=${THREADS:-"1 2"}
# the bundle's OpenBLAS, not a system one
export LD_LIBRARY_PATH="$here/native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if grep -qw avx512f /proc/cpuinfo; then
  unset OPENBLAS_L2_SIZE
  export OPENBLAS_CORETYPE=SkylakeX
fi
JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx12g -Dstdout.encoding=UTF-8)

step() { # name timeout command...
  local name=$1 limit=$2; shift 2
  echo "===== $name ($(date -u +%T), limit ${limit}s, load $(cut -d' ' -f1-3 /proc/loadavg)) ====="
  local t0=$SECONDS
  timeout "$limit" "$@" > >(tee -a "$OUT/$name.log") 2>&1
  local rc=$?
  echo "===== $name: exit $rc after $((SECONDS - t0)) s ====="
  echo "$name $rc $((SECONDS - t0))" >> "$OUT/steps.txt"
}

for s in $STEPS; do
  case $s in
    machine) step machine 30 bash -c "sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort | uniq -c; nproc; \
      grep -o -w 'avx2\|fma\|avx512f\|avx512_bf16\|amx_tile' /proc/cpuinfo | sort | uniq -c; \
      lscpu 2>/dev/null | grep -i 'cache\|mhz\|numa'; free -g | head -2; \
      echo OPENBLAS_CORETYPE=\${OPENBLAS_CORETYPE:-unset} LD_LIBRARY_PATH=$LD_LIBRARY_PATH; $java -version" ;;
    gemm)
      header=--header
      for t in $THREADS; do
        step gemm 200 env OPENBLAS_NUM_THREADS="$t" "$java" "${JOPTS[@]}" -cp "$CP" structura.benchmarks.SideBySide \
          --threads "$t" $header --shapes 1024,2048,4096x384x384,4096x384x1536,4096x1536x384 --dtypes F32,F64 \
          --gram-rows 5461 --gram-n 1536 --no-ejml
        header=
      done ;;
    qr) step qr 300 "$java" "${JOPTS[@]}" -cp "$CP" structura.algorithms.linalg.QrBenchmark 8192 1024 5 \
        "$(echo $THREADS | tr ' ' ',')" F64 ;;
    cholesky) step cholesky 120 "$java" "${JOPTS[@]}" -cp "$CP" structura.algorithms.linalg.PivotedCholeskyBenchmark \
        1536 n,944,576 5 "$(echo $THREADS | tr ' ' ',')" ;;
  esac
done
echo "steps (name, exit code, seconds):"; cat "$OUT/steps.txt"
