#!/bin/sh
# Side-by-side comparison of the SIMD backend ("vector") with OpenBLAS, EJML and the reference
# backend: GEMM F32/F64 at n = 256, 512, 1024, 2048 and m×k×n = 4096×384×1536, 4096×1536×384,
# and the F32 Gram matrix of a 65536×1536 matrix, on 1 and 2 threads. Prints a Markdown table
# (GFLOP/s and the ratios vector/OpenBLAS and vector/EJML) on stdout.
#
#   benchmarks/run-gemm.sh                         # everything, 1 and 2 threads (about 15 min)
#   THREADS=1 benchmarks/run-gemm.sh --shapes 1024 --dtypes F32 --gram-rows 0
#
# Arguments are passed to structura.benchmarks.SideBySide (see its Javadoc). One JVM per thread
# count, with OPENBLAS_NUM_THREADS set to match (SideBySide also sets it through
# openblas_set_num_threads and checks). On an AVX-512 host the JVM runs with
# OPENBLAS_CORETYPE=SkylakeX and without OPENBLAS_L2_SIZE (benchmarks/openblas-env.sh), so the
# peer is OpenBLAS's best kernel; the output starts with the kernel in use, the host's vector
# width, clock, FMA units and peak. Needs a JDK 25 (found by scripts/find-jdk.sh) and the
# system OpenBLAS: apt-get install -y libopenblas-dev.
set -e
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. benchmarks/openblas-env.sh
./mvnw -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
header=--header
for t in ${THREADS:-1 2}; do
  env $OPENBLAS_ENV OPENBLAS_NUM_THREADS=$t java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g \
    -cp "$CP" structura.benchmarks.SideBySide --threads "$t" $header "$@"
  header=
done
