#!/bin/sh
# Side-by-side pivoted Cholesky: ours (PivotedCholesky on the "vector" backend, in place, block 64)
# against LAPACK dpstrf over the system OpenBLAS, interleaved, on 1 and 2 threads, on the scatter
# XᵀX of power-law-scaled columns (the compression's neuron selection). Prints the OpenBLAS core in
# use, the load average, and how many leading pivots the two agree on.
#
#   benchmarks/run-pivoted-cholesky.sh                    # n = 1536, ranks n, 944, 576, 7 repetitions, threads 1,2
#   benchmarks/run-pivoted-cholesky.sh 1024 n,512 5 2     # n ranks repetitions threads
#
# On an AVX-512 host benchmarks/openblas-env.sh asks OpenBLAS for its AVX-512 kernel (SkylakeX)
# for the benchmark process only (never in tests or CI). Needs a JDK 25 and the system OpenBLAS
# (apt-get install -y libopenblas-dev).
exec env LINALG_BENCHMARK=PivotedCholeskyBenchmark "$(dirname "$0")/run-qr.sh" "$@"
