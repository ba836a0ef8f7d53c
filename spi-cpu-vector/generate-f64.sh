#!/bin/sh
# Regenerates F64Gemm.java and F64Vectors.java from their F32 sources (as EJML does with
# GenerateJavaCode32 in the other direction). Edit the F32 file, then run this script;
# F64SourcesAreGeneratedTest fails until the copies agree. Needs only a JDK (source launcher).
set -e
cd "$(dirname "$0")"
exec java src/test/java/structura/backend/vector/F64SourceGenerator.java .
