#!/bin/sh
# Side-by-side dense Cholesky: ours (structura.algorithms.linalg.Cholesky on the "vector" backend)
# against LAPACK dpotrf over the system OpenBLAS, interleaved, on 1 and 2 threads (run-qr.sh's
# build, class path and OpenBLAS kernel choice).
#
#   benchmarks/run-cholesky.sh                      # n = 1024 and 4096, 5 repetitions, threads 1,2
#   benchmarks/run-cholesky.sh 2048 7 2             # orders repetitions threads
exec env LINALG_BENCHMARK=CholeskyBenchmark "$(dirname "$0")/run-qr.sh" "$@"
