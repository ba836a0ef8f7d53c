#!/bin/sh
# Regenerates the double-precision kernels from the single-precision sources, as EJML does with
# GenerateJavaCode32 in the other direction. Edit Sgemm.java, then run this script.
set -e
cd "$(dirname "$0")/src/main/java/structura/backend/vector"
sed -e 's/float/double/g; s/Float/Double/g; s/FLOAT/DOUBLE/g; s/Single-precision/Double-precision/g; s/single-precision/double-precision/g; s/Sgemm/Dgemm/g' \
    -e 's/{@link Dgemm} is generated from this file by {@code generate-f64.sh}/Generated from {@code Sgemm.java} by {@code generate-f64.sh}: do not edit/' \
    Sgemm.java > Dgemm.java
sed -e 's/float/double/g; s/Float/Double/g; s/FLOAT/DOUBLE/g; s/Single-precision/Double-precision/g; s/single-precision/double-precision/g; s/Svec/Dvec/g' \
    -e 's/{@link Dvec} is generated from this file by {@code generate-f64.sh}/Generated from {@code Svec.java} by {@code generate-f64.sh}: do not edit/' \
    Svec.java > Dvec.java
