#!/usr/bin/env bash
# One GPU session for the CUDA backend: probe, conformance + resident tests, GEMM benchmark.
# Needs the kit built by the lead's/engineer's machine under spi-cuda/target/gpukit (a jlink-ed
# JDK 25 in jre/, the api and testkit jars in lib/, the module's classes and test classes, and the
# JUnit console launcher). Writes full logs to $OUT (or /tmp) and prints short summaries.
set -u
K=${K:-spi-cuda/target/gpukit}
OUT=${OUT:-/tmp/cuda-check}
mkdir -p "$OUT"
J="$K/jre/bin/java"
CP="$K/classes:$K/test-classes:$K/lib/structura-api-0.1.0-SNAPSHOT.jar:$K/lib/structura-testkit-0.1.0-SNAPSHOT.jar"
JOPTS=(--enable-native-access=ALL-UNNAMED -Xss4m -Dstructura.strict=true -Xmx16g)
echo "== nvidia-smi"; nvidia-smi -L 2>&1 | head -3
echo "== cuBLAS wheels"; python3 -c "import glob,sys; [print(p) for p in sorted(set(glob.glob(sys.prefix+'/lib/python3*/*-packages/nvidia/*/lib/libcublas.so*')+glob.glob('/usr/local/lib/python3*/*-packages/nvidia/*/lib/libcublas.so*')+glob.glob('/usr/lib/python3*/*-packages/nvidia/*/lib/libcublas.so*')))]" 2>&1 | head -5
echo "== probe (default lookup)"
timeout 60 "$J" "${JOPTS[@]}" -cp "$CP" structura.backend.cuda.CudaProbeMain 2>&1 | tee "$OUT/probe.txt" | head -40
if ! grep -q "available:" "$OUT/probe.txt" || grep -q "unavailable" "$OUT/probe.txt"; then
  CUB=$(python3 -c "import nvidia.cublas,os; print(os.path.join(os.path.dirname(nvidia.cublas.__file__ or list(nvidia.cublas.__path__)[0]),'lib'))" 2>/dev/null \
     || python3 -c "import nvidia.cublas,os; print(os.path.join(list(nvidia.cublas.__path__)[0],'lib'))" 2>/dev/null)
  echo "== probe again with STRUCTURA_CUBLAS=$CUB"
  export STRUCTURA_CUBLAS="$CUB"
  timeout 60 "$J" "${JOPTS[@]}" -cp "$CP" structura.backend.cuda.CudaProbeMain 2>&1 | tee "$OUT/probe2.txt" | head -40
fi
echo "== conformance + resident tests"
timeout ${TEST_TIMEOUT:-240} "$J" "${JOPTS[@]}" -Dstructura.test.requiredBackends=cuda -jar "$K/junit-platform-console-standalone-1.14.1.jar" \
  execute --disable-banner --details=tree --disable-ansi-colors -cp "$CP" \
  --select-class structura.backend.cuda.CudaBackendConformanceTest --select-class structura.backend.cuda.CudaResidentTest \
  > "$OUT/junit.txt" 2>&1
echo "junit exit $?"
grep -E "tests (successful|failed|aborted|skipped)|containers failed" "$OUT/junit.txt"
echo "-- failing tests by class (first message each):"
grep -E "✘" "$OUT/junit.txt" | sed 's/^[│├└─ ]*//' | awk '{print substr($0,1,160)}' | sort | uniq -c | sort -rn | head -40
echo "== GEMM benchmark"
timeout ${BENCH_TIMEOUT:-200} "$J" "${JOPTS[@]}" -cp "$CP" structura.backend.cuda.CudaGemmBenchmark ${SIZES:-64,128,256,512,1024,2048,4096} 2>&1 | tee "$OUT/bench.txt"
