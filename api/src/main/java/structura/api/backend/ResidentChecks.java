package structura.api.backend;

import java.util.Arrays;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * The argument checks of {@link ResidentRoutines}, shared by every implementation so that the
 * reference and the device backends reject the same calls with the same codes (as {@link Compute}
 * does for the host routines). Each method takes the arguments of the routine of the same name,
 * throws {@link InvalidArgumentException} on the first problem and returns the dtype of the call
 * where there is one. Codes: {@code STRUCTURA-A001} negative size or leading dimension below the
 * column count, null buffer; {@code A002} offset arrays of different lengths; {@code A003} buffers
 * of different dtypes, or of the wrong dtype for the operation; {@code A004} an output that shares
 * elements with an input; {@code A005} a view, batch or index outside its buffer or table.
 *
 * <p>What the checks cannot see is left to the implementation: whether a buffer belongs to this
 * instance and is still open (report a foreign buffer as {@code A003} and a closed one as
 * {@code A001}, see {@link #foreign} and {@link #closed}). Costs are O(1) per operand, except the
 * batched GEMM's disjointness test, O(batch·log batch) plus the number of C blocks that lie within
 * one block's span of each other.
 */
public final class ResidentChecks {
  private ResidentChecks() {}

  // ---- building blocks -----------------------------------------------------------------------

  /** The error for a buffer that was allocated by another {@link ResidentRoutines} instance. */
  public static InvalidArgumentException foreign(String op, String name) {
    return new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
        op + ": buffer " + name + " was allocated by another ResidentRoutines instance (or is not one of its buffers).",
        "Allocate every buffer of a call with the ResidentRoutines that runs it (backend.resident()).");
  }

  /** The error for a buffer used after {@link DeviceBuffer#close()}. */
  public static InvalidArgumentException closed(String op, String name) {
    return new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": buffer " + name + " is closed.",
        "Keep buffers open until the last call that uses them; allocate a new one after close().");
  }

  /** Non-negative sizes. */
  public static void sizes(String op, String names, int... sizes) {
    for (int s : sizes) {
      if (s < 0) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": sizes " + names + " are "
            + Arrays.toString(sizes) + "; a size is negative.", "Pass sizes >= 0.");
      }
    }
  }

  /** A non-null buffer of {@code dtype} (any dtype when null). */
  public static void buffer(String op, String name, DeviceBuffer b, DType dtype) {
    if (b == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": buffer " + name + " is null.", "Pass an allocated buffer.");
    }
    if (dtype != null && b.dtype() != dtype) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          op + ": buffer " + name + " is " + b.dtype() + " but the call needs " + dtype + ".",
          "Use buffers of one dtype in a call (" + dtype + " here); the transformer operations are F32 only.");
    }
  }

  /** Elements {@code [off, off + count)} lie inside {@code b}. */
  public static void range(String op, String name, DeviceBuffer b, long off, long count) {
    if (off < 0 || count < 0 || off > b.length() - count) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          op + ": " + name + " needs elements [" + off + ", " + (off + count) + ") but its buffer holds " + b.length() + ".",
          "Allocate at least " + (off + count) + " elements or shrink the view; offsets count elements, not bytes.");
    }
  }

  /**
   * A row-major {@code rows × cols} view at {@code off} with leading dimension {@code ld ≥ max(1, cols)}
   * inside {@code b}; returns the element count it spans (0 when empty).
   */
  public static long matrix(String op, String name, DeviceBuffer b, long off, int rows, int cols, int ld) {
    if (ld < Math.max(1, cols)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          op + ": leading dimension of " + name + " is " + ld + " but it has " + cols + " columns.", "Pass ld >= max(1, cols).");
    }
    long span = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    range(op, name + " (" + rows + "x" + cols + ", ld " + ld + ")", b, off, span);
    return span;
  }

  /** All buffers have the dtype of the first; returns it. */
  public static DType sameDType(String op, String names, DeviceBuffer... buffers) {
    DType t = buffers[0].dtype();
    for (DeviceBuffer b : buffers) {
      if (b.dtype() != t) {
        StringBuilder s = new StringBuilder();
        for (DeviceBuffer x : buffers) {
          s.append(s.isEmpty() ? "" : ", ").append(x.dtype());
        }
        throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
            op + ": buffers " + names + " are " + s + ".", "Use buffers of one dtype (F32 or F64) in a call.");
      }
    }
    return t;
  }

  /** Output range {@code [outOff, outOff+outSpan)} shares no element with the input range when they are one buffer. */
  public static void disjoint(String op, String out, DeviceBuffer o, long outOff, long outSpan,
      String in, DeviceBuffer i, long inOff, long inSpan) {
    if (o == i && outSpan > 0 && inSpan > 0 && outOff < inOff + inSpan && inOff < outOff + outSpan) {
      throw new InvalidArgumentException(ErrorCode.ALIASING,
          op + ": output " + out + " [" + outOff + ", " + (outOff + outSpan) + ") overlaps input " + in + " ["
              + inOff + ", " + (inOff + inSpan) + ") in the same buffer.",
          "Write the result into a separate buffer or a disjoint region.");
    }
  }

  // ---- memory --------------------------------------------------------------------------------

  /** {@link ResidentRoutines#allocate}: F32 or F64 and a length ≥ 0. */
  public static void allocate(DType dtype, long length) {
    if (dtype == null || length < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "allocate: dtype " + dtype + ", length " + length + ".",
          "Pass F32 or F64 and a length >= 0.");
    }
  }

  /** {@link ResidentRoutines#upload} and {@link ResidentRoutines#download}: host range and buffer range in bounds, dtype matches. */
  public static void transfer(String op, int hostLength, int hostOff, DeviceBuffer b, long bufOff, int length, DType dtype) {
    buffer(op, "buffer", b, dtype);
    if (hostOff < 0 || length < 0 || hostOff > hostLength - length) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          op + ": host array range [" + hostOff + ", " + ((long) hostOff + length) + ") is outside an array of " + hostLength + ".",
          "Pass an offset and length inside the host array.");
    }
    range(op, "buffer", b, bufOff, length);
  }

  /** {@link ResidentRoutines#copy}. */
  public static void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long length) {
    buffer("copy", "src", src, null);
    buffer("copy", "dst", dst, src.dtype());
    range("copy", "src", src, srcOff, length);
    range("copy", "dst", dst, dstOff, length);
    disjoint("copy", "dst", dst, dstOff, length, "src", src, srcOff, length);
  }

  // ---- BLAS ----------------------------------------------------------------------------------

  /** {@link ResidentRoutines#gemm}; returns the dtype. */
  public static DType gemm(boolean transA, boolean transB, int m, int n, int k,
      DeviceBuffer a, long aOff, int lda, DeviceBuffer b, long bOff, int ldb, DeviceBuffer c, long cOff, int ldc) {
    String op = "gemm";
    operands(op, a, b, c);
    DType t = sameDType(op, "A, B, C", a, b, c);
    sizes(op, "m, n, k", m, n, k);
    long sa = matrix(op, "A", a, aOff, transA ? k : m, transA ? m : k, lda);
    long sb = matrix(op, "B", b, bOff, transB ? n : k, transB ? k : n, ldb);
    long sc = matrix(op, "C", c, cOff, m, n, ldc);
    disjoint(op, "C", c, cOff, sc, "A", a, aOff, sa);
    disjoint(op, "C", c, cOff, sc, "B", b, bOff, sb);
    return t;
  }

  /** {@link ResidentRoutines#gemmStridedBatched}; returns the dtype. */
  public static DType gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k,
      DeviceBuffer a, long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB,
      DeviceBuffer c, long cOff, int ldc, long strideC, int batch) {
    String op = "gemmStridedBatched";
    sizes(op, "m, n, k, batch", m, n, k, batch);
    if (strideA < 0 || strideB < 0 || strideC < 0 || (strideC == 0 && batch > 1 && m > 0 && n > 0)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": strides " + strideA + ", " + strideB + ", "
          + strideC + ".", "Pass strides >= 0; strideC must be > 0 when batch > 1 (0 shares A or B, never C).");
    }
    long[][] offs = new long[3][batch];
    for (int p = 0; p < batch; p++) {
      offs[0][p] = aOff + p * strideA;
      offs[1][p] = bOff + p * strideB;
      offs[2][p] = cOff + p * strideC;
    }
    return batched(op, transA, transB, m, n, k, a, offs[0], lda, b, offs[1], ldb, c, offs[2], ldc);
  }

  /** {@link ResidentRoutines#gemmBatched}; returns the dtype. */
  public static DType gemmBatched(boolean transA, boolean transB, int m, int n, int k,
      DeviceBuffer a, long[] aOffsets, int lda, DeviceBuffer b, long[] bOffsets, int ldb,
      DeviceBuffer c, long[] cOffsets, int ldc) {
    String op = "gemmBatched";
    sizes(op, "m, n, k", m, n, k);
    if (aOffsets == null || bOffsets == null || cOffsets == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": an offset array is null.", "Pass three offset arrays.");
    }
    if (aOffsets.length != bOffsets.length || aOffsets.length != cOffsets.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, op + ": offset arrays have lengths " + aOffsets.length
          + ", " + bOffsets.length + " and " + cOffsets.length + ".", "Pass one A, B and C offset per product.");
    }
    return batched(op, transA, transB, m, n, k, a, aOffsets, lda, b, bOffsets, ldb, c, cOffsets, ldc);
  }

  private static DType batched(String op, boolean transA, boolean transB, int m, int n, int k,
      DeviceBuffer a, long[] ao, int lda, DeviceBuffer b, long[] bo, int ldb, DeviceBuffer c, long[] co, int ldc) {
    operands(op, a, b, c);
    DType t = sameDType(op, "A, B, C", a, b, c);
    int batch = co.length;
    if (batch == 0) {
      return t;
    }
    // every block in bounds: the lowest and highest offsets suffice, the spans are equal
    long sa = span(op, "A", a, ao, transA ? k : m, transA ? m : k, lda);
    long sb = span(op, "B", b, bo, transB ? n : k, transB ? k : n, ldb);
    long sc = span(op, "C", c, co, m, n, ldc);
    if (sc == 0) {
      return t;
    }
    long[] sorted = co.clone();
    Arrays.sort(sorted);
    for (int p = 0; p < batch; p++) {
      for (int q = p + 1; q < batch && sorted[q] - sorted[p] < sc; q++) {
        if (blocksOverlap(sorted[q] - sorted[p], m, n, ldc)) {
          throw new InvalidArgumentException(ErrorCode.ALIASING, op + ": the C blocks at offsets " + sorted[p] + " and "
              + sorted[q] + " (" + m + "x" + n + ", ld " + ldc + ") share elements.",
              "Give every product its own C block: consecutive blocks, or blocks side by side within rows.");
        }
      }
    }
    // C against the inputs: conservative, over the whole ranges the batch touches
    disjoint(op, "C", c, sorted[0], sorted[batch - 1] - sorted[0] + sc, "A", a, min(ao), max(ao) - min(ao) + sa);
    disjoint(op, "C", c, sorted[0], sorted[batch - 1] - sorted[0] + sc, "B", b, min(bo), max(bo) - min(bo) + sb);
    return t;
  }

  /** Whether two {@code m × n} blocks with leading dimension ld, {@code delta > 0} elements apart, share an element. */
  private static boolean blocksOverlap(long delta, int m, int n, int ld) {
    // shared element: delta = r·ld + c with |r| ≤ m−1 and |c| ≤ n−1
    long r0 = Math.floorDiv(delta, ld);
    for (long r = r0 - 1; r <= r0 + 1; r++) {
      if (Math.abs(r) <= m - 1 && Math.abs(delta - r * ld) <= n - 1) {
        return true;
      }
    }
    return false;
  }

  private static long span(String op, String name, DeviceBuffer buf, long[] offsets, int rows, int cols, int ld) {
    long lo = min(offsets);
    long hi = max(offsets);
    long s = matrix(op, name + " at offset " + lo, buf, lo, rows, cols, ld);
    matrix(op, name + " at offset " + hi, buf, hi, rows, cols, ld);
    return s;
  }

  private static long min(long[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static long max(long[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  /** {@link ResidentRoutines#gemv}; returns the dtype. */
  public static DType gemv(boolean transA, int m, int n, DeviceBuffer a, long aOff, int lda,
      DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    String op = "gemv";
    operands(op, a, x, y);
    DType t = sameDType(op, "A, x, y", a, x, y);
    sizes(op, "m, n", m, n);
    long sa = matrix(op, "A", a, aOff, m, n, lda);
    int xn = transA ? m : n;
    int yn = transA ? n : m;
    range(op, "x", x, xOff, xn);
    range(op, "y", y, yOff, yn);
    disjoint(op, "y", y, yOff, yn, "A", a, aOff, sa);
    disjoint(op, "y", y, yOff, yn, "x", x, xOff, xn);
    return t;
  }

  /** {@link ResidentRoutines#dot}, {@link ResidentRoutines#axpy} (y may equal x exactly, or be disjoint); returns the dtype. */
  public static DType vectors(String op, int n, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
    operands(op, x, y);
    DType t = sameDType(op, "x, y", x, y);
    sizes(op, "n", n);
    range(op, "x", x, xOff, n);
    range(op, "y", y, yOff, n);
    if (op.equals("axpy") && !(x == y && xOff == yOff)) {
      disjoint(op, "y", y, yOff, n, "x", x, xOff, n);
    }
    return t;
  }

  /** {@link ResidentRoutines#scal}; returns the dtype. */
  public static DType scal(int n, DeviceBuffer x, long xOff) {
    operands("scal", x);
    sizes("scal", "n", n);
    range("scal", "x", x, xOff, n);
    return x.dtype();
  }

  // ---- kernel matrices -----------------------------------------------------------------------

  /** {@link ResidentRoutines#kernelMultiply}; returns the dtype. */
  public static DType kernelMultiply(RadialKernel kernel, int m, int n, int d, int k,
      DeviceBuffer x, long xOff, int ldx, DeviceBuffer y, long yOff, int ldy,
      DeviceBuffer v, long vOff, int ldv, DeviceBuffer o, long oOff, int ldo) {
    String op = "kernelMultiply";
    if (kernel == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": kernel is null.", "Pass a RadialKernel.");
    }
    operands(op, x, y, v, o);
    DType t = sameDType(op, "X, Y, V, O", x, y, v, o);
    sizes(op, "m, n, d, k", m, n, d, k);
    long sx = matrix(op, "X", x, xOff, m, d, ldx);
    long sy = matrix(op, "Y", y, yOff, n, d, ldy);
    long sv = matrix(op, "V", v, vOff, n, k, ldv);
    long so = matrix(op, "O", o, oOff, m, k, ldo);
    disjoint(op, "O", o, oOff, so, "X", x, xOff, sx);
    disjoint(op, "O", o, oOff, so, "Y", y, yOff, sy);
    disjoint(op, "O", o, oOff, so, "V", v, vOff, sv);
    return t;
  }

  // ---- transformer operations ----------------------------------------------------------------

  /** {@link ResidentRoutines#addRowVector}. */
  public static void addRowVector(int m, int n, DeviceBuffer v, long vOff, DeviceBuffer x, long xOff, int ld) {
    String op = "addRowVector";
    f32(op, v, x);
    sizes(op, "m, n", m, n);
    range(op, "v", v, vOff, n);
    long sx = matrix(op, "x", x, xOff, m, n, ld);
    disjoint(op, "x", x, xOff, sx, "v", v, vOff, n);
  }

  /** {@link ResidentRoutines#gatherRows}: every index in {@code [0, tableRows)}. */
  public static void gatherRows(int width, DeviceBuffer table, long tableOff, int ldTable, int tableRows, int[] indices,
      DeviceBuffer out, long outOff, int ldOut) {
    String op = "gatherRows";
    f32(op, table, out);
    if (indices == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": indices are null.", "Pass the row indices.");
    }
    sizes(op, "width, tableRows", width, tableRows);
    long st = matrix(op, "table", table, tableOff, tableRows, width, ldTable);
    long so = matrix(op, "out", out, outOff, indices.length, width, ldOut);
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= tableRows) {
        throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS, op + ": index " + indices[i] + " at position " + i
            + " is outside the table of " + tableRows + " rows.", "Pass indices in [0, " + tableRows + ").");
      }
    }
    disjoint(op, "out", out, outOff, so, "table", table, tableOff, st);
  }

  /** {@link ResidentRoutines#attentionSoftmax}; the mask may be null. */
  public static void attentionSoftmax(int batch, int heads, int queries, int keys,
      DeviceBuffer scores, long off, DeviceBuffer keyMask, long maskOff, boolean causal) {
    String op = "attentionSoftmax";
    sizes(op, "batch, heads, queries, keys", batch, heads, queries, keys);
    if (causal && queries > keys) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, op + ": causal attention with " + queries
          + " queries but " + keys + " keys.", "Causal attention needs queries <= keys (query t sees keys 0..t).");
    }
    long rows = (long) batch * heads * queries;
    if (keyMask == null) {
      f32(op, scores);
    } else {
      f32(op, scores, keyMask);
      long sm = (long) batch * keys;
      range(op, "keyMask (" + batch + "x" + keys + ")", keyMask, maskOff, sm);
      disjoint(op, "scores", scores, off, rows * keys, "keyMask", keyMask, maskOff, sm);
    }
    range(op, "scores (" + batch + "·" + heads + "·" + queries + " rows of " + keys + ")", scores, off, rows * keys);
  }

  /** {@link ResidentRoutines#gelu}, {@link ResidentRoutines#silu}. */
  public static void rows(String op, int m, int n, DeviceBuffer x, long off, int ld) {
    f32(op, x);
    sizes(op, "m, n", m, n);
    matrix(op, "x", x, off, m, n, ld);
  }

  /** {@link ResidentRoutines#swiglu}. */
  public static void swiglu(int m, int n, DeviceBuffer gate, long gateOff, int ldGate, DeviceBuffer up, long upOff, int ldUp) {
    String op = "swiglu";
    f32(op, gate, up);
    sizes(op, "m, n", m, n);
    long sg = matrix(op, "gate", gate, gateOff, m, n, ldGate);
    long su = matrix(op, "up", up, upOff, m, n, ldUp);
    disjoint(op, "gate", gate, gateOff, sg, "up", up, upOff, su);
  }

  /** {@link ResidentRoutines#layerNorm} (beta may be null) and {@link ResidentRoutines#rmsNorm} (beta null). */
  public static void norm(String op, int m, int n, DeviceBuffer x, long off, int ld, DeviceBuffer gamma, long gammaOff,
      DeviceBuffer beta, long betaOff, double eps) {
    if (beta == null) {
      f32(op, x, gamma);
    } else {
      f32(op, x, gamma, beta);
    }
    sizes(op, "m, n", m, n);
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, op + ": eps is " + eps + ".", "Pass a finite eps >= 0.");
    }
    long sx = matrix(op, "x", x, off, m, n, ld);
    range(op, "gamma", gamma, gammaOff, n);
    disjoint(op, "x", x, off, sx, "gamma", gamma, gammaOff, n);
    if (beta != null) {
      range(op, "beta", beta, betaOff, n);
      disjoint(op, "x", x, off, sx, "beta", beta, betaOff, n);
    }
  }

  private static void operands(String op, DeviceBuffer... buffers) {
    for (int i = 0; i < buffers.length; i++) {
      buffer(op, "#" + (i + 1), buffers[i], null);
    }
    for (DeviceBuffer b : buffers) {
      if (b.dtype() != DType.F32 && b.dtype() != DType.F64) {
        throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH, op + ": buffer of dtype " + b.dtype() + ".", "Use F32 or F64.");
      }
    }
  }

  private static void f32(String op, DeviceBuffer... buffers) {
    for (int i = 0; i < buffers.length; i++) {
      buffer(op, "#" + (i + 1), buffers[i], DType.F32);
    }
  }
}
