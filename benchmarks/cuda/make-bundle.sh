#!/usr/bin/env bash
# Packs what the GPU machine needs into target/gpu-bundle.tgz: a jlink-ed JDK 25 runtime (the
# GPU machine has no Java) and the class path of the CUDA checks and benchmarks: the library jars,
# the test classes of spi-cuda, algorithms and testkit, their dependencies minus the large native
# ones nothing there needs (ONNX Runtime, DJL tokenizers, Aparapi, the model zoo), and the JUnit
# console launcher. About 40 MB. Run gpu-session.sh from the bundle on the GPU machine.
#
#   benchmarks/cuda/make-bundle.sh          # builds (tests skipped) and packs
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
source scripts/find-jdk.sh
out=target/gpu-bundle
rm -rf "$out" target/gpu-bundle.tgz
mkdir -p "$out/lib" "$out/classes"
# one reactor, so that the sibling modules resolve from it (never `install`); test classes are compiled
./mvnw -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test \
  -pl api,testkit,algorithms,formats,cli,spi-cuda -am
./mvnw -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
  -DoutputDirectory="$root/$out/lib" >/dev/null
skip='/api-0[.]|onnxruntime|tokenizers|aparapi|langchain4j|scala-library|structura-|junit-jupiter|junit-platform|opentest4j|apiguardian|jna-'
cat algorithms/cp.txt spi-cuda/cp.txt cli/cp.txt | tr ':' '\n' | sort -u | grep -vE "$skip" | while read -r jar; do
  [ -f "$jar" ] && cp "$jar" "$out/lib/"
done
rm -f */cp.txt
for m in api testkit algorithms formats cli spi-cuda; do
  cp "$m"/target/structura-*-0.1.0-SNAPSHOT.jar "$out/lib/" 2>/dev/null || true
done
for m in algorithms spi-cuda testkit api; do
  [ -d "$m/target/test-classes" ] && mkdir -p "$out/classes/$m" && cp -r "$m/target/test-classes/." "$out/classes/$m/"
done
cp benchmarks/cuda/gpu-session.sh benchmarks/cuda/torch_minilm_forward.py "$out/" 2>/dev/null || cp benchmarks/cuda/gpu-session.sh "$out/"
rm -rf target/gpu-jdk
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.desktop,jdk.unsupported,jdk.incubator.vector \
  --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output "$out/jdk" 2>&1 | grep -v 'incubator' || true
tar czf target/gpu-bundle.tgz -C target gpu-bundle
ls -la target/gpu-bundle.tgz
