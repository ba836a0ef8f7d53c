#!/usr/bin/env bash
# Packs the CPU side of issue 17 for a lent device machine, whose processor (16 cores of a server
# CPU) is the only AVX-512 one these sessions can reach, and which has no Java, no OpenBLAS and no
# network: a jlink-ed JDK 25, the class path of the GEMM/Gram table (SideBySide), the dense QRs
# (QrBenchmark) and the pivoted Cholesky (PivotedCholeskyBenchmark), and the system OpenBLAS
# 0.3.21 (DYNAMIC_ARCH, so it has the SkylakeX kernels) with its libgfortran. About 50 MB, under
# the 64 MiB that one call carries. The forward pass is left out: the model (83 MB) and ONNX
# Runtime's jar (75 MB) do not fit.
#
#   benchmarks/device-cpu/make-bundle.sh      # builds (tests skipped) and writes target/cpu-bundle.tgz
#
# On the device machine, from the repository root, with target/cpu-bundle.tgz carried:
#   tar xzf target/cpu-bundle.tgz -C /tmp && OUT=$OUT bash /tmp/cpu-bundle/cpu-session.sh
# Needs here: a JDK 25 (scripts/find-jdk.sh) and apt-get install -y libopenblas-dev.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/find-jdk.sh
out=target/cpu-bundle
rm -rf "$out" target/cpu-bundle.tgz
mkdir -p "$out/lib" "$out/classes" "$out/native"
# one reactor, so that the sibling modules resolve from it (never `install`); test classes are compiled
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test \
  -pl api,spi-cpu-vector,algorithms,benchmarks -am
# the library's own modules go in as class directories; JUnit and the other test-only jars stay out
skip='/structura-|junit|opentest4j|apiguardian|mockito|byte-buddy|objenesis|assertj|hamcrest'
cat algorithms/cp.txt benchmarks/cp.txt | tr ':' '\n' | sort -u | grep -vE "$skip" | while read -r jar; do
  [ -f "$jar" ] && cp "$jar" "$out/lib/"
done
rm -f */cp.txt
for m in api spi-cpu-vector algorithms benchmarks; do
  mkdir -p "$out/classes/$m" && cp -r "$m/target/classes/." "$out/classes/$m/"
done
mkdir -p "$out/classes/algorithms-tests" && cp -r algorithms/target/test-classes/. "$out/classes/algorithms-tests/"
# OpenBLAS as the benchmarks find it: libopenblas.so.0 (FFM lookups), libblas.so.3 and liblapack.so.3
# (netlib's JNI wrappers), with the Fortran runtime LAPACK links against
lib=/usr/lib/x86_64-linux-gnu
for f in openblas-pthread/libopenblas.so.0 openblas-pthread/libblas.so.3 openblas-pthread/liblapack.so.3 \
    libgfortran.so.5 libquadmath.so.0; do
  [ -e "$lib/$f" ] || { echo "missing $lib/$f: apt-get install -y libopenblas-dev" >&2; exit 1; }
  cp -L "$lib/$f" "$out/native/"
done
cp benchmarks/device-cpu/cpu-session.sh "$out/"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
  --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output "$out/jdk" 2>&1 | grep -v 'incubator' || true
tar czf target/cpu-bundle.tgz -C target cpu-bundle
ls -la target/cpu-bundle.tgz
