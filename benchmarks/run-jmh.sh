#!/bin/sh
# Runs the JMH benchmarks (GemmBenchmark, GramBenchmark, ReferenceGemmBenchmark). Arguments go
# to JMH, for example:
#   benchmarks/run-jmh.sh GemmBenchmark -p shape=1024 -p dtype=F32
#   benchmarks/run-jmh.sh GramBenchmark -p rows=16384
#   benchmarks/run-jmh.sh -l                    # list
# OpenBLAS threads follow the benchmark's "threads" parameter (openblas_set_num_threads). On an
# AVX-512 host JMH and its forks run with OPENBLAS_CORETYPE=SkylakeX and without
# OPENBLAS_L2_SIZE (benchmarks/openblas-env.sh): the peer is OpenBLAS's best kernel.
set -e
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. benchmarks/openblas-env.sh
./mvnw -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
exec env $OPENBLAS_ENV java -cp "$CP" org.openjdk.jmh.Main "$@"
