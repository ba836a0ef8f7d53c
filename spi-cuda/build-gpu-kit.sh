#!/usr/bin/env bash
# Builds spi-cuda/target/gpukit for gpu-check.sh: a jlink-ed JDK 25 (the GPU machine has no Java),
# the api and testkit jars, the module's classes and test classes, and the JUnit console launcher.
# Run from the repository root after: ./mvnw -B -q -pl spi-cuda -am verify -DskipTests
set -euo pipefail
source scripts/find-jdk.sh
K=spi-cuda/target/gpukit
rm -rf "$K" && mkdir -p "$K/lib"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,java.management,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$K/jre"
cp api/target/structura-api-*.jar testkit/target/structura-testkit-*.jar "$K/lib/"
cp "$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name 'junit-platform-console-standalone-1.14.1.jar' | head -1)" "$K/"
cp -r spi-cuda/target/classes "$K/classes"
cp -r spi-cuda/target/test-classes "$K/test-classes"
du -sh "$K"
