# Sourced by the benchmark scripts (never by tests or CI). Sets OPENBLAS_ENV to the env(1)
# arguments that make the system OpenBLAS run its best kernel for this processor, for the
# benchmark process only:
#   - on an AVX-512 host (avx512f in /proc/cpuinfo) OPENBLAS_CORETYPE=SkylakeX, and
#     OPENBLAS_L2_SIZE removed (some environments set it, and a wrong L2 size detunes the
#     SkylakeX blocking);
#   - elsewhere nothing: OpenBLAS detects the core itself (this Zen/AVX2 host: "Zen", which
#     runs the Haswell AVX2 kernels). A forced OPENBLAS_CORETYPE from the caller's environment is
#     kept; SideBySide prints openblas_get_corename() so the table says which kernel it faced.
# Why: these machines' environment may set OPENBLAS_CORETYPE=Haswell, under which an AVX-512
# host's OpenBLAS runs its AVX2 kernels and looks 1.6x slower than its best (issue 17).
OPENBLAS_ENV=
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  OPENBLAS_ENV="-u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX"
fi
