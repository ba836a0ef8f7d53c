package structura.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * FFM downcalls into cuBLAS (the {@code _v2} API of {@code cublas_v2.h}), column-major as cuBLAS
 * is; {@link RowMajorToCublas} maps our row-major calls onto these. Every call checks its
 * {@code cublasStatus_t} and turns a failure into {@code STRUCTURA-B004} with
 * {@code cublasGetStatusString}'s text.
 *
 * <p>Conventions: enums are ints ({@link #OP_N}, {@link #OP_T}, {@link #FILL_LOWER}); matrices and
 * vectors are device pointers ({@code long}); alpha, beta and the dot result are host pointers
 * (the default {@code CUBLAS_POINTER_MODE_HOST}, where cuBLAS reads the scalars before returning,
 * and a dot blocks until its result is written). The math mode stays {@code CUBLAS_DEFAULT_MATH}:
 * no TF32 for F32 GEMMs, so results keep full single precision as the conformance bounds require.
 */
final class CuBlas {
  static final int OP_N = 0;
  static final int OP_T = 1;
  static final int FILL_LOWER = 0;
  static final int FILL_UPPER = 1;
  static final int DEFAULT_MATH = 0;

  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup lib;
  private final MethodHandle create;
  private final MethodHandle destroy;
  private final MethodHandle getVersion;
  private final MethodHandle setStream;
  private final MethodHandle setMathMode;
  private final Optional<MethodHandle> statusString;
  private final MethodHandle sgemm;
  private final MethodHandle dgemm;
  private final MethodHandle sgemmStridedBatched;
  private final MethodHandle dgemmStridedBatched;
  private final MethodHandle sgemmBatched;
  private final MethodHandle dgemmBatched;
  private final MethodHandle ssyrk;
  private final MethodHandle dsyrk;
  private final MethodHandle sgemv;
  private final MethodHandle dgemv;
  private final MethodHandle sdot;
  private final MethodHandle ddot;
  private final MethodHandle saxpy;
  private final MethodHandle daxpy;
  private final MethodHandle sscal;
  private final MethodHandle dscal;

  /** Binds every function; throws {@link IllegalStateException} naming a missing symbol. */
  CuBlas(SymbolLookup lib) {
    this.lib = lib;
    MemoryLayout h = ADDRESS;
    MemoryLayout p = ADDRESS;
    MemoryLayout i = JAVA_INT;
    MemoryLayout d = JAVA_LONG;  // device pointer
    MemoryLayout ll = JAVA_LONG; // long long stride
    create = bind("cublasCreate_v2", p);
    destroy = bind("cublasDestroy_v2", h);
    getVersion = bind("cublasGetVersion_v2", h, p);
    setStream = bind("cublasSetStream_v2", h, p);
    setMathMode = bind("cublasSetMathMode", h, i);
    statusString = lib.find("cublasGetStatusString")
        .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(ADDRESS, JAVA_INT)));
    sgemm = bind("cublasSgemm_v2", h, i, i, i, i, i, p, d, i, d, i, p, d, i);
    dgemm = bind("cublasDgemm_v2", h, i, i, i, i, i, p, d, i, d, i, p, d, i);
    sgemmStridedBatched = bind("cublasSgemmStridedBatched", h, i, i, i, i, i, p, d, i, ll, d, i, ll, p, d, i, ll, i);
    dgemmStridedBatched = bind("cublasDgemmStridedBatched", h, i, i, i, i, i, p, d, i, ll, d, i, ll, p, d, i, ll, i);
    sgemmBatched = bind("cublasSgemmBatched", h, i, i, i, i, i, p, d, i, d, i, p, d, i, i);
    dgemmBatched = bind("cublasDgemmBatched", h, i, i, i, i, i, p, d, i, d, i, p, d, i, i);
    ssyrk = bind("cublasSsyrk_v2", h, i, i, i, i, p, d, i, p, d, i);
    dsyrk = bind("cublasDsyrk_v2", h, i, i, i, i, p, d, i, p, d, i);
    sgemv = bind("cublasSgemv_v2", h, i, i, i, p, d, i, d, i, p, d, i);
    dgemv = bind("cublasDgemv_v2", h, i, i, i, p, d, i, d, i, p, d, i);
    sdot = bind("cublasSdot_v2", h, i, d, i, d, i, p);
    ddot = bind("cublasDdot_v2", h, i, d, i, d, i, p);
    saxpy = bind("cublasSaxpy_v2", h, i, p, d, i, d, i);
    daxpy = bind("cublasDaxpy_v2", h, i, p, d, i, d, i);
    sscal = bind("cublasSscal_v2", h, i, p, d, i);
    dscal = bind("cublasDscal_v2", h, i, p, d, i);
  }

  private MethodHandle bind(String name, MemoryLayout... args) {
    MemorySegment symbol = lib.find(name).orElseThrow(() ->
        new IllegalStateException("cuBLAS lacks " + name + " (a cuBLAS older than 12?)"));
    return linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, args));
  }

  private void call(String name, MethodHandle handle, Object... args) {
    int status;
    try {
      status = (int) handle.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "cuBLAS call " + name + " could not be invoked: " + t,
          "Report this with the output of 'structura backends'.", t);
    }
    if (status != 0) {
      throw new StructuraException(ErrorCode.BACKEND_FAILED, "cuBLAS call " + name + " failed: " + statusText(status) + ".",
          "Check the GPU with nvidia-smi and that cuBLAS matches the driver (structura.cuda.cublas). "
              + "Rerun with --backend vector (or java) meanwhile.");
    }
  }

  /** cuBLAS's name for a status, e.g. "CUBLAS_STATUS_NOT_INITIALIZED", or its number. */
  String statusText(int status) {
    if (statusString.isPresent()) {
      try {
        return CudaDriver.cString((MemorySegment) statusString.get().invokeWithArguments(status)) + " (" + status + ")";
      } catch (Throwable t) {
        // fall through to the number
      }
    }
    return "cublasStatus_t " + status;
  }

  // ---- handle --------------------------------------------------------------------------------

  MemorySegment create() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      call("cublasCreate_v2", create, out);
      return out.get(ADDRESS, 0);
    }
  }

  void destroy(MemorySegment handle) {
    call("cublasDestroy_v2", destroy, handle);
  }

  /** The version as cuBLAS encodes it: major·10000 + minor·100 + patch. */
  int version(MemorySegment handle) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      call("cublasGetVersion_v2", getVersion, handle, out);
      return out.get(JAVA_INT, 0);
    }
  }

  void setStream(MemorySegment handle, MemorySegment stream) {
    call("cublasSetStream_v2", setStream, handle, stream);
  }

  void setMathMode(MemorySegment handle, int mode) {
    call("cublasSetMathMode", setMathMode, handle, mode);
  }

  // ---- BLAS (column-major; scalars through the caller's host scratch `s`) ---------------------

  /** Host scratch for alpha (offset 0) and beta (offset 8) and a dot result (offset 16): 24 bytes. */
  static MemorySegment scalars(Arena arena) {
    return arena.allocate(24, 8);
  }

  void gemm(boolean f64, MemorySegment handle, MemorySegment s, int opA, int opB, int m, int n, int k, double alpha,
      long a, int lda, long b, int ldb, double beta, long c, int ldc) {
    put(s, f64, alpha, beta);
    call(f64 ? "cublasDgemm_v2" : "cublasSgemm_v2", f64 ? dgemm : sgemm, handle, opA, opB, m, n, k, s, a, lda, b, ldb,
        s.asSlice(8), c, ldc);
  }

  void gemmStridedBatched(boolean f64, MemorySegment handle, MemorySegment s, int opA, int opB, int m, int n, int k,
      double alpha, long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c, int ldc,
      long strideC, int batch) {
    put(s, f64, alpha, beta);
    call(f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched", f64 ? dgemmStridedBatched : sgemmStridedBatched,
        handle, opA, opB, m, n, k, s, a, lda, strideA, b, ldb, strideB, s.asSlice(8), c, ldc, strideC, batch);
  }

  /** Pointer-array batched GEMM: {@code aArray}, {@code bArray}, {@code cArray} are device arrays of device pointers. */
  void gemmBatched(boolean f64, MemorySegment handle, MemorySegment s, int opA, int opB, int m, int n, int k,
      double alpha, long aArray, int lda, long bArray, int ldb, double beta, long cArray, int ldc, int batch) {
    put(s, f64, alpha, beta);
    call(f64 ? "cublasDgemmBatched" : "cublasSgemmBatched", f64 ? dgemmBatched : sgemmBatched,
        handle, opA, opB, m, n, k, s, aArray, lda, bArray, ldb, s.asSlice(8), cArray, ldc, batch);
  }

  void syrk(boolean f64, MemorySegment handle, MemorySegment s, int uplo, int trans, int n, int k, double alpha,
      long a, int lda, double beta, long c, int ldc) {
    put(s, f64, alpha, beta);
    call(f64 ? "cublasDsyrk_v2" : "cublasSsyrk_v2", f64 ? dsyrk : ssyrk, handle, uplo, trans, n, k, s, a, lda,
        s.asSlice(8), c, ldc);
  }

  void gemv(boolean f64, MemorySegment handle, MemorySegment s, int trans, int m, int n, double alpha, long a, int lda,
      long x, int incX, double beta, long y, int incY) {
    put(s, f64, alpha, beta);
    call(f64 ? "cublasDgemv_v2" : "cublasSgemv_v2", f64 ? dgemv : sgemv, handle, trans, m, n, s, a, lda, x, incX,
        s.asSlice(8), y, incY);
  }

  /** Blocks until the result is on the host. */
  double dot(boolean f64, MemorySegment handle, MemorySegment s, int n, long x, int incX, long y, int incY) {
    MemorySegment result = s.asSlice(16);
    call(f64 ? "cublasDdot_v2" : "cublasSdot_v2", f64 ? ddot : sdot, handle, n, x, incX, y, incY, result);
    return f64 ? result.get(JAVA_DOUBLE, 0) : result.get(JAVA_FLOAT, 0);
  }

  void axpy(boolean f64, MemorySegment handle, MemorySegment s, int n, double alpha, long x, int incX, long y, int incY) {
    put(s, f64, alpha, 0);
    call(f64 ? "cublasDaxpy_v2" : "cublasSaxpy_v2", f64 ? daxpy : saxpy, handle, n, s, x, incX, y, incY);
  }

  void scal(boolean f64, MemorySegment handle, MemorySegment s, int n, double alpha, long x, int incX) {
    put(s, f64, alpha, 0);
    call(f64 ? "cublasDscal_v2" : "cublasSscal_v2", f64 ? dscal : sscal, handle, n, s, x, incX);
  }

  private static void put(MemorySegment s, boolean f64, double alpha, double beta) {
    if (f64) {
      s.set(JAVA_DOUBLE, 0, alpha);
      s.set(JAVA_DOUBLE, 8, beta);
    } else {
      s.set(JAVA_FLOAT, 0, (float) alpha);
      s.set(JAVA_FLOAT, 8, (float) beta);
    }
  }
}
