#!/bin/sh
# Side-by-side dense QR: ours (HouseholderQr, PivotedQr, HQRRP on the "vector" backend) against
# LAPACK dgeqrf/dgeqp3 (sgeqrf/sgeqp3 for F32) over the system OpenBLAS, interleaved, on 1 and 2
# threads; then the trailing-update GEMMs of the QR, ours against OpenBLAS dgemm. Prints the
# OpenBLAS core in use and the load average.
#
#   benchmarks/run-qr.sh                          # 8192x1024, 7 repetitions, threads 1,2, F64 and F32
#   benchmarks/run-qr.sh 4096 512 5 2 F64         # m n repetitions threads dtypes
#
# LINALG_BENCHMARK names another benchmark class of structura.algorithms.linalg's tests to run the
# same way (benchmarks/run-pivoted-cholesky.sh does).
#
# On an AVX-512 host benchmarks/openblas-env.sh asks OpenBLAS for its AVX-512 kernel (SkylakeX)
# and unsets OPENBLAS_L2_SIZE, for the benchmark process only, so that the peer is the strongest
# OpenBLAS for the machine (never in tests or CI). Needs a JDK 25 and the system OpenBLAS (apt-get install -y libopenblas-dev).
set -e
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
./mvnw -B -q -pl algorithms,spi-cpu-vector -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/algorithms/target/qr-classpath.txt" -DskipTests
CP="algorithms/target/test-classes:algorithms/target/classes:spi-cpu-vector/target/classes:api/target/classes"
CP="$CP:$(cat algorithms/target/qr-classpath.txt)"
. benchmarks/openblas-env.sh
# shellcheck disable=SC2086  # OPENBLAS_ENV is a list of env(1) arguments
exec env $OPENBLAS_ENV java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx12g -cp "$CP" \
  "structura.algorithms.linalg.${LINALG_BENCHMARK:-QrBenchmark}" "$@"
