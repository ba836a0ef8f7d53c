#!/usr/bin/env bash
# The CUDA checks and benchmarks of issue 21, in one run on a GPU machine without Java. Run from
# the unpacked bundle that make-bundle.sh builds:
#
#   tar xzf target/gpu-bundle.tgz -C /tmp && OUT=/some/dir bash /tmp/gpu-bundle/gpu-session.sh
#
# Steps (each under its own timeout, each logged to $OUT/<step>.log, all echoed): the machine
# (nvidia-smi, torch), `structura backends` and `structura --backend cuda check`, the conformance
# kit in strict mode (F32 and F64) with skips turned into failures, the GEMM call-overhead
# benchmark (our paths against cuBLAS called directly), and the all-MiniLM-L6-v2-shaped forward
# pass at 32×128 tokens against PyTorch eager FP32. STEPS="check conformance gemm forward torch"
# selects steps; a failing step does not stop the others.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$here/out}
mkdir -p "$OUT"
java="$here/jdk/bin/java"
CP="$here/lib/*"
for d in "$here"/classes/*; do CP="$CP:$d"; done
PY=$(command -v python3 || command -v python || true)
STEPS=${STEPS:-"machine check conformance gemm forward torch"}

# cuBLAS ships with PyTorch's pip packages there: find the directory holding libcublas.so.*
cublas_dir=""
if [ -n "$PY" ]; then
  cublas_dir=$("$PY" - <<'PYEOF' 2>/dev/null
import glob, os, site, sys
roots = set(site.getsitepackages() + [site.getusersitepackages()] + sys.path)
hits = []
for r in roots:
    if r and os.path.isdir(r):
        hits += glob.glob(os.path.join(r, "nvidia", "*", "lib", "libcublas.so*"))
        hits += glob.glob(os.path.join(r, "torch", "lib", "libcublas.so*"))
print(os.path.dirname(sorted(hits)[0]) if hits else "")
PYEOF
)
fi
export LD_LIBRARY_PATH="${cublas_dir:+$cublas_dir:}${LD_LIBRARY_PATH:-}"
JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Xmx24g
  -Dstructura.cuda.cublas="${cublas_dir}" -Dstructura.strict=true -Djava.awt.headless=true)

step() { # name timeout command...
  local name=$1 limit=$2; shift 2
  echo "===== $name ($(date -u +%T), limit ${limit}s) ====="
  local t0=$SECONDS
  timeout "$limit" "$@" > >(tee "$OUT/$name.log") 2>&1
  local rc=$?
  echo "===== $name: exit $rc after $((SECONDS - t0)) s ====="
  echo "$name $rc $((SECONDS - t0))" >> "$OUT/steps.txt"
}

for s in $STEPS; do
  case $s in
    machine) step machine 60 bash -c "nvidia-smi; nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version,clocks.max.sm --format=csv; \
      echo cublas_dir=$cublas_dir; ls $cublas_dir 2>/dev/null | head -20; \
      ${PY:-false} -c 'import torch; print(\"torch\", torch.__version__, \"cuda\", torch.version.cuda, torch.cuda.get_device_name(0))'; \
      nproc; free -g | head -2; $java -version" ;;
    check)
      step backends 60 "$java" "${JOPTS[@]}" -cp "$CP" structura.cli.StructuraCli backends
      step check 180 "$java" "${JOPTS[@]}" -cp "$CP" structura.cli.StructuraCli --backend cuda check --size 512 ;;
    conformance)
      step conformance 200 "$java" "${JOPTS[@]}" -Dstructura.test.requiredBackends=cuda -cp "$CP" \
        org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=summary \
        --select-class structura.backend.cuda.CudaBackendConformanceTest \
        --select-class structura.backend.cuda.CudaResidentTest ;;
    gemm) step gemm 120 "$java" "${JOPTS[@]}" -cp "$CP" structura.backend.cuda.CudaGemmBenchmark ;;
    forward) step forward 100 "$java" "${JOPTS[@]}" -Dstructura.backend=cuda -cp "$CP" \
        structura.algorithms.nn.ResidentForwardBenchmark 50 cuda 32 128 10 ;;
    torch) step torch 100 "${PY:-false}" "$here/torch_minilm_forward.py" 50 32 128 10 ;;
  esac
done
echo "===== summary (step exit seconds) ====="
cat "$OUT/steps.txt"
