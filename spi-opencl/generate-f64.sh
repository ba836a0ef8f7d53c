#!/bin/sh
# Regenerates the F64 OpenCL kernels (F64GemmKernel.java, ...) from their F32 sources. Edit the
# F32 kernel, then run this script; F64SourcesAreGeneratedTest fails until the copies agree.
# Needs only a JDK (source launcher).
set -e
cd "$(dirname "$0")"
exec java src/test/java/structura/backend/opencl/kernels/F64SourceGenerator.java .
