#!/bin/sh
# The all-MiniLM-L6-v2 forward pass (batch 32 x 128 tokens) on the "vector" backend against ONNX
# Runtime on the original ONNX file, interleaved iteration by iteration, on each thread count;
# prints seconds per batch (mean, best) of both and the max |ours - ORT| of the last hidden state.
#
#   benchmarks/run-forward.sh            # 8 timed iterations, threads 1 and 2
#   benchmarks/run-forward.sh 4 2        # [timed iterations] [thread counts, comma-separated]
#
# ONNX Runtime brings its own kernels (MLAS), so no OpenBLAS setting applies. Needs a JDK 25
# (found by scripts/find-jdk.sh); the model comes from a Maven Central jar (ModelZoo).
set -e
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
./mvnw -B -q -pl formats,spi-cpu-vector -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/formats/target/forward-classpath.txt" -Dmdep.includeScope=test -DskipTests
CP="formats/target/test-classes:formats/target/classes:spi-cpu-vector/target/classes"
CP="$CP:$(cat formats/target/forward-classpath.txt)"
exec java -Xmx6g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dstructura.backend=vector -Dstructura.strict=true -cp "$CP" \
  structura.formats.TransformerForwardBenchmark "${1:-8}" "${2:-1,2}"
