package structura.api.backend;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.internal.reference.ReferenceBackend;

/**
 * The validated entry point to a backend's routines. Every method checks its arguments once
 * (shapes, dtypes, bounds, aliasing), takes the BLAS fast paths (empty output; {@code alpha == 0}
 * or an empty inner dimension reduce to {@code C = beta·C}, and {@code beta == 0} never reads C),
 * then calls the backend's unchecked routine. A routine family the backend lacks runs on the
 * reference backend with a one-time warning per family and dtype, or fails with
 * {@code STRUCTURA-B003} in strict mode.
 *
 * <p>Instances are thread-safe when the backend's routines are (the SPI requires it). Several
 * {@code Compute} instances on different backends can coexist in one JVM. Close it to release
 * the backend; {@link #reference()} is shared and its close does nothing.
 */
public final class Compute implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("structura.backend");
  private static final Compute REFERENCE = new Compute(new ReferenceBackend(), new ReferenceBackend(), true, false);

  private final Backend backend;
  private final Backend reference;
  private final boolean strict;
  private final boolean closeable;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Compute(Backend backend, Backend reference, boolean strict, boolean closeable) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.reference = reference;
    this.strict = strict;
    this.closeable = closeable;
  }

  /**
   * Wraps an opened backend. Normally obtained through {@link BackendSelection#open()}; backend
   * tests use this directly.
   *
   * @param backend the backend; closed by {@link #close()}
   * @param strict whether a missing routine is an error rather than a reference fallback
   */
  public static Compute of(Backend backend, boolean strict) {
    return new Compute(backend, new ReferenceBackend(), strict, true);
  }

  /** The shared reference backend {@code java}: plain loops, always available, the test oracle. */
  public static Compute reference() {
    return REFERENCE;
  }

  /**
   * Selects and opens a backend for {@code config} from the providers on the module path; the
   * same as {@code BackendRegistry.discover().select(config).open()}.
   */
  public static Compute open(BackendConfig config) {
    return BackendRegistry.discover().select(config).open();
  }

  /** The backend this instance dispatches to. */
  public Backend backend() {
    return backend;
  }

  /** The backend id, for example {@code vector}. */
  public String backendId() {
    return backend.id();
  }

  /** Whether missing routines fail instead of falling back. */
  public boolean strict() {
    return strict;
  }

  /**
   * General matrix multiply {@code C = alpha·op(A)·op(B) + beta·C}, with op(A) m×k, op(B) k×n,
   * C m×n, all of one dtype. Cost 2mnk flops. Modifies C only.
   *
   * @throws InvalidArgumentException on mismatched shapes or dtypes, or if C overlaps A or B
   */
  public void gemm(Transpose transA, Transpose transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
    Objects.requireNonNull(transA, "transA");
    Objects.requireNonNull(transB, "transB");
    sameDType("gemm", a, b, c);
    int m = c.rows();
    int n = c.cols();
    int k = innerDimension("gemm", transA, transB, a, b, c);
    noOverlap("gemm", "C", c, "A", a);
    noOverlap("gemm", "C", c, "B", b);
    if (m == 0 || n == 0) {
      return;
    }
    if (alpha == 0 || k == 0) {
      scaleOutput(beta, c);
      return;
    }
    GemmRoutine r = routine(RoutineFamily.GEMM, c.dtype()) ? backend.gemm().orElseThrow() : reference.gemm().orElseThrow();
    if (c.dtype() == DType.F32) {
      r.sgemm(transA.transposed(), transB.transposed(), m, n, k, (float) alpha, a.f32(), a.offset(), a.ld(),
          b.f32(), b.offset(), b.ld(), (float) beta, c.f32(), c.offset(), c.ld());
    } else {
      r.dgemm(transA.transposed(), transB.transposed(), m, n, k, alpha, a.f64(), a.offset(), a.ld(),
          b.f64(), b.offset(), b.ld(), beta, c.f64(), c.offset(), c.ld());
    }
  }

  /** Allocating product {@code op(A)·op(B)} as a new compact matrix. */
  public Matrix multiply(Transpose transA, Matrix a, Transpose transB, Matrix b) {
    int m = transA.transposed() ? a.cols() : a.rows();
    int n = transB.transposed() ? b.rows() : b.cols();
    Matrix c = Matrix.zeros(a.dtype(), m, n);
    gemm(transA, transB, 1.0, a, b, 0.0, c);
    return c;
  }

  /**
   * Matrix-vector multiply {@code y = alpha·op(A)·x + beta·y}. Vectors are {@code 1×n} or
   * {@code n×1} views (a column view has stride {@code ld}). Cost 2mn flops. Modifies y only.
   */
  public void gemv(Transpose transA, double alpha, Matrix a, Matrix x, double beta, Matrix y) {
    Objects.requireNonNull(transA, "transA");
    sameDType("gemv", a, x, y);
    Vec vx = Vec.of("gemv", "x", x);
    Vec vy = Vec.of("gemv", "y", y);
    int rowsOp = transA.transposed() ? a.cols() : a.rows();
    int colsOp = transA.transposed() ? a.rows() : a.cols();
    if (vx.n != colsOp || vy.n != rowsOp) {
      throw mismatch("gemv: op(A) is " + rowsOp + "x" + colsOp + ", x has " + vx.n + " entries and y has " + vy.n + ".",
          "x needs as many entries as op(A) has columns, y as many as it has rows.");
    }
    noOverlap("gemv", "y", y, "A", a);
    noOverlap("gemv", "y", y, "x", x);
    if (rowsOp == 0) {
      return;
    }
    if (alpha == 0 || colsOp == 0) {
      scaleOutput(beta, y);
      return;
    }
    GemvRoutine r = routine(RoutineFamily.GEMV, y.dtype()) ? backend.gemv().orElseThrow() : reference.gemv().orElseThrow();
    if (y.dtype() == DType.F32) {
      r.sgemv(transA.transposed(), a.rows(), a.cols(), (float) alpha, a.f32(), a.offset(), a.ld(),
          x.f32(), vx.off, vx.inc, (float) beta, y.f32(), vy.off, vy.inc);
    } else {
      r.dgemv(transA.transposed(), a.rows(), a.cols(), alpha, a.f64(), a.offset(), a.ld(),
          x.f64(), vx.off, vx.inc, beta, y.f64(), vy.off, vy.inc);
    }
  }

  /**
   * Strided batched GEMM: for {@code p < batch}, {@code C_p = alpha·op(A_p)·op(B_p) + beta·C_p}
   * where {@code A_p} is the view {@code a} shifted by {@code p·strideA} elements (likewise B, C).
   * A stride of 0 broadcasts one operand. The C_p must be disjoint: either consecutive
   * ({@code strideC} at least the span of one C) or interleaved within rows
   * ({@code strideC ≥ cols} and {@code (batch-1)·strideC + cols ≤ ld}, the per-head layout of
   * attention). Cost 2mnk·batch flops. Modifies the C_p only.
   */
  public void batchedGemm(Transpose transA, Transpose transB, int batch, double alpha,
      Matrix a, int strideA, Matrix b, int strideB, double beta, Matrix c, int strideC) {
    Objects.requireNonNull(transA, "transA");
    Objects.requireNonNull(transB, "transB");
    sameDType("batchedGemm", a, b, c);
    if (batch < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
      throw invalid("batchedGemm: batch (" + batch + ") and strides (" + strideA + ", " + strideB + ", " + strideC
          + ") must be non-negative.", "Pass a batch count and strides of at least 0.");
    }
    int m = c.rows();
    int n = c.cols();
    int k = innerDimension("batchedGemm", transA, transB, a, b, c);
    if (batch == 0 || m == 0 || n == 0) {
      return;
    }
    checkBatchBounds("A", a, strideA, batch);
    checkBatchBounds("B", b, strideB, batch);
    checkBatchBounds("C", c, strideC, batch);
    if (batch > 1) {
      long span = c.extent()[1] - c.extent()[0];
      boolean consecutive = strideC >= span;
      boolean interleaved = strideC >= n && (long) (batch - 1) * strideC + n <= c.ld();
      if (!consecutive && !interleaved) {
        throw new InvalidArgumentException(ErrorCode.ALIASING,
            "batchedGemm: with strideC=" + strideC + " the " + batch + " output blocks of shape " + m + "x" + n
                + " (ld " + c.ld() + ") overlap.",
            "Use strideC >= " + span + " (blocks one after another) or strideC >= " + n
                + " with (batch-1)*strideC + " + n + " <= ld (blocks side by side within rows).");
      }
    }
    if (batchOverlap(c, strideC, a, strideA, batch) || batchOverlap(c, strideC, b, strideB, batch)) {
      throw new InvalidArgumentException(ErrorCode.ALIASING,
          "batchedGemm: the output blocks share array elements with an input.",
          "Write C into an array (or a region of it) that A and B do not use.");
    }
    if (alpha == 0 || k == 0) {
      for (int p = 0; p < batch; p++) {
        scaleOutput(beta, shifted(c, (long) p * strideC));
      }
      return;
    }
    BatchedGemmRoutine r = batchedGemmRoutine(c.dtype());
    if (c.dtype() == DType.F32) {
      r.sgemmStridedBatched(transA.transposed(), transB.transposed(), m, n, k, (float) alpha,
          a.f32(), a.offset(), a.ld(), strideA, b.f32(), b.offset(), b.ld(), strideB,
          (float) beta, c.f32(), c.offset(), c.ld(), strideC, batch);
    } else {
      r.dgemmStridedBatched(transA.transposed(), transB.transposed(), m, n, k, alpha,
          a.f64(), a.offset(), a.ld(), strideA, b.f64(), b.offset(), b.ld(), strideB,
          beta, c.f64(), c.offset(), c.ld(), strideC, batch);
    }
  }

  /**
   * Gram matrix / symmetric rank-k update. With {@code Transpose.T}, A is k×n and
   * {@code C = alpha·AᵀA + beta·C}; with {@code Transpose.N}, A is n×k and
   * {@code C = alpha·AAᵀ + beta·C}. C is n×n; both triangles are written and exactly symmetric.
   * A and C share a dtype, or A is F32 and C is F64 (products and sums in double). Cost nk(n+1)
   * flops. Modifies C only.
   */
  public void gram(Transpose trans, double alpha, Matrix a, double beta, Matrix c) {
    Objects.requireNonNull(trans, "trans");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(c, "c");
    boolean mixed = a.dtype() == DType.F32 && c.dtype() == DType.F64;
    if (a.dtype() != c.dtype() && !mixed) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "gram: A is " + a.dtype() + " and C is " + c.dtype() + ".",
          "Use the same dtype for both, or F32 A with F64 C for double accumulation.");
    }
    int n = trans.transposed() ? a.cols() : a.rows();
    int k = trans.transposed() ? a.rows() : a.cols();
    if (c.rows() != n || c.cols() != n) {
      throw mismatch("gram: C is " + c.rows() + "x" + c.cols() + " but op(A)ᵀop(A) is " + n + "x" + n + ".",
          "C must be square with the size of A's " + (trans.transposed() ? "column" : "row") + " count.");
    }
    noOverlap("gram", "C", c, "A", a);
    if (n == 0) {
      return;
    }
    if (alpha == 0 || k == 0) {
      scaleOutput(beta, c);
      return;
    }
    // the mixed routine computes in double, so it needs the backend's F64 Gram support
    GramRoutine r = routine(RoutineFamily.GRAM, c.dtype()) ? backend.gram().orElseThrow() : reference.gram().orElseThrow();
    if (mixed) {
      r.sdsyrk(trans.transposed(), n, k, alpha, a.f32(), a.offset(), a.ld(), beta, c.f64(), c.offset(), c.ld());
    } else if (c.dtype() == DType.F32) {
      r.ssyrk(trans.transposed(), n, k, (float) alpha, a.f32(), a.offset(), a.ld(), (float) beta, c.f32(), c.offset(), c.ld());
    } else {
      r.dsyrk(trans.transposed(), n, k, alpha, a.f64(), a.offset(), a.ld(), beta, c.f64(), c.offset(), c.ld());
    }
  }

  /**
   * Dot product Σ x_ij y_ij of two matrices of one shape, or of two vectors of one length (a
   * row and a column view may be mixed). F32 inputs are summed in float. Modifies nothing.
   */
  public double dot(Matrix x, Matrix y) {
    sameDType("dot", x, y);
    Level1Routine r = level1(x.dtype());
    if (isVector(x) && isVector(y)) {
      Vec vx = Vec.of("dot", "x", x);
      Vec vy = Vec.of("dot", "y", y);
      sameLength("dot", vx, vy);
      if (vx.n == 0) {
        return 0;
      }
      return x.dtype() == DType.F32
          ? r.sdot(vx.n, x.f32(), vx.off, vx.inc, y.f32(), vy.off, vy.inc)
          : r.ddot(vx.n, x.f64(), vx.off, vx.inc, y.f64(), vy.off, vy.inc);
    }
    sameShape("dot", x, y);
    double sum = 0;
    for (int i = 0; i < x.rows() && x.cols() > 0; i++) {
      sum += x.dtype() == DType.F32
          ? r.sdot(x.cols(), x.f32(), x.index(i, 0), 1, y.f32(), y.index(i, 0), 1)
          : r.ddot(x.cols(), x.f64(), x.index(i, 0), 1, y.f64(), y.index(i, 0), 1);
    }
    return sum;
  }

  /**
   * {@code y ← alpha·x + y} for two matrices of one shape or two vectors of one length. x and y
   * must be the same view or disjoint. Modifies y.
   */
  public void axpy(double alpha, Matrix x, Matrix y) {
    sameDType("axpy", x, y);
    boolean identical = x.array() == y.array() && x.offset() == y.offset() && x.ld() == y.ld()
        && x.rows() == y.rows() && x.cols() == y.cols();
    if (!identical) {
      noOverlap("axpy", "y", y, "x", x);
    }
    Level1Routine r = level1(x.dtype());
    if (isVector(x) && isVector(y)) {
      Vec vx = Vec.of("axpy", "x", x);
      Vec vy = Vec.of("axpy", "y", y);
      sameLength("axpy", vx, vy);
      if (vx.n == 0 || alpha == 0) {
        return;
      }
      if (x.dtype() == DType.F32) {
        r.saxpy(vx.n, (float) alpha, x.f32(), vx.off, vx.inc, y.f32(), vy.off, vy.inc);
      } else {
        r.daxpy(vx.n, alpha, x.f64(), vx.off, vx.inc, y.f64(), vy.off, vy.inc);
      }
      return;
    }
    sameShape("axpy", x, y);
    if (alpha == 0 || x.cols() == 0) {
      return;
    }
    for (int i = 0; i < x.rows(); i++) {
      if (x.dtype() == DType.F32) {
        r.saxpy(x.cols(), (float) alpha, x.f32(), x.index(i, 0), 1, y.f32(), y.index(i, 0), 1);
      } else {
        r.daxpy(x.cols(), alpha, x.f64(), x.index(i, 0), 1, y.f64(), y.index(i, 0), 1);
      }
    }
  }

  /** {@code x ← alpha·x} with IEEE semantics (0·NaN = NaN). Modifies x. */
  public void scale(double alpha, Matrix x) {
    Objects.requireNonNull(x, "x");
    if (x.rows() == 0 || x.cols() == 0) {
      return;
    }
    Level1Routine r = level1(x.dtype());
    if (isVector(x)) {
      Vec v = Vec.of("scale", "x", x);
      if (x.dtype() == DType.F32) {
        r.sscal(v.n, (float) alpha, x.f32(), v.off, v.inc);
      } else {
        r.dscal(v.n, alpha, x.f64(), v.off, v.inc);
      }
      return;
    }
    for (int i = 0; i < x.rows(); i++) {
      if (x.dtype() == DType.F32) {
        r.sscal(x.cols(), (float) alpha, x.f32(), x.index(i, 0), 1);
      } else {
        r.dscal(x.cols(), alpha, x.f64(), x.index(i, 0), 1);
      }
    }
  }

  // ---- transformer elementwise routines (F32) ------------------------------------------------

  /**
   * Row softmax in place: {@code x_ij ← exp(z_ij − max_j z) / Σ_j exp(z_ij − max_j z)} with
   * {@code z = alpha·x + mask}. The mask is optional ({@code null}), one {@code 1 × n} row added
   * to every row, or {@code m × n}; use {@code −Float.MAX_VALUE} (not −∞) for masked entries so a
   * fully masked row stays finite (uniform). F32 only. Modifies x only.
   */
  public void softmaxRows(double alpha, Matrix x, Matrix mask) {
    f32("softmaxRows", x);
    if (mask != null) {
      f32("softmaxRows", mask);
      if (mask.cols() != x.cols() || (mask.rows() != 1 && mask.rows() != x.rows())) {
        throw mismatch("softmaxRows: mask is " + mask.rows() + "x" + mask.cols() + " and x is " + x.rows() + "x" + x.cols() + ".",
            "Pass a 1 x n mask (broadcast) or one of x's shape.");
      }
      noOverlap("softmaxRows", "x", x, "mask", mask);
    }
    if (x.rows() == 0 || x.cols() == 0) {
      return;
    }
    ElementwiseRoutine r = elementwise();
    r.ssoftmaxRows(x.rows(), x.cols(), (float) alpha, x.f32(), x.offset(), x.ld(),
        mask == null ? null : mask.f32(), mask == null ? 0 : mask.offset(),
        mask == null || mask.rows() == 1 ? 0 : mask.ld());
  }

  /** Exact GELU {@code x ← x/2·(1 + erf(x/√2))} in place. F32 only. Modifies x. */
  public void gelu(Matrix x) {
    f32("gelu", x);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().sgelu(x.rows(), x.cols(), x.f32(), x.offset(), x.ld());
    }
  }

  /**
   * Bias + GELU in one pass: {@code x_ij ← gelu(x_ij + bias_j)}, the sum rounded to float first,
   * so the result equals adding the bias row and then {@link #gelu} (bit for bit on the reference
   * and vector backends). bias is {@code 1 × n} and must not overlap x. F32 only. Modifies x only.
   */
  public void biasGelu(Matrix x, Matrix bias) {
    f32("biasGelu", x);
    normParam("biasGelu", "bias", bias, x);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().sbiasGelu(x.rows(), x.cols(), x.f32(), x.offset(), x.ld(), bias.f32(), bias.offset());
    }
  }

  /** SiLU {@code x ← x·σ(x)} in place. F32 only. Modifies x. */
  public void silu(Matrix x) {
    f32("silu", x);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().ssilu(x.rows(), x.cols(), x.f32(), x.offset(), x.ld());
    }
  }

  /** SwiGLU {@code gate ← silu(gate) ∘ up} for two matrices of one shape. F32 only. Modifies gate. */
  public void swiglu(Matrix gate, Matrix up) {
    f32("swiglu", gate);
    f32("swiglu", up);
    sameShape("swiglu", gate, up);
    noOverlap("swiglu", "gate", gate, "up", up);
    if (gate.rows() > 0 && gate.cols() > 0) {
      elementwise().sswiglu(gate.rows(), gate.cols(), gate.f32(), gate.offset(), gate.ld(), up.f32(), up.offset(), up.ld());
    }
  }

  /**
   * LayerNorm of every row of x in place: {@code (x − μ)/√(σ² + eps) ∘ gamma + beta}, σ² the
   * biased variance. gamma and beta are {@code 1 × n}. F32 only. Modifies x.
   */
  public void layerNorm(Matrix x, Matrix gamma, Matrix beta, double eps) {
    f32("layerNorm", x);
    normParam("layerNorm", "gamma", gamma, x);
    normParam("layerNorm", "beta", beta, x);
    checkEps("layerNorm", eps);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().slayerNorm(x.rows(), x.cols(), x.f32(), x.offset(), x.ld(), gamma.f32(), gamma.offset(),
          beta.f32(), beta.offset(), (float) eps);
    }
  }

  /**
   * Bias + residual + LayerNorm in one pass: {@code x_i ← LayerNorm(x_i + bias + r_i)} for every
   * row, rounded to float as {@code (x + bias) + r} before the norm, so the result equals adding
   * the bias row, then {@code axpy(1, r, x)}, then {@link #layerNorm} (bit for bit on the reference
   * and vector backends). bias is {@code 1 × n} or null; r has x's shape; neither may overlap x;
   * gamma and beta are {@code 1 × n}. F32 only. Modifies x only.
   */
  public void addLayerNorm(Matrix x, Matrix bias, Matrix residual, Matrix gamma, Matrix beta, double eps) {
    f32("addLayerNorm", x);
    if (bias != null) {
      normParam("addLayerNorm", "bias", bias, x);
    }
    f32("addLayerNorm", residual);
    sameShape("addLayerNorm", x, residual);
    noOverlap("addLayerNorm", "x", x, "residual", residual);
    normParam("addLayerNorm", "gamma", gamma, x);
    normParam("addLayerNorm", "beta", beta, x);
    checkEps("addLayerNorm", eps);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().saddLayerNorm(x.rows(), x.cols(), x.f32(), x.offset(), x.ld(), bias == null ? null : bias.f32(),
          bias == null ? 0 : bias.offset(), residual.f32(), residual.offset(), residual.ld(), gamma.f32(), gamma.offset(),
          beta.f32(), beta.offset(), (float) eps);
    }
  }

  /** RMSNorm of every row in place: {@code x/√(mean(x²) + eps) ∘ gamma}; gamma {@code 1 × n}. F32 only. Modifies x. */
  public void rmsNorm(Matrix x, Matrix gamma, double eps) {
    f32("rmsNorm", x);
    normParam("rmsNorm", "gamma", gamma, x);
    checkEps("rmsNorm", eps);
    if (x.rows() > 0 && x.cols() > 0) {
      elementwise().srmsNorm(x.rows(), x.cols(), x.f32(), x.offset(), x.ld(), gamma.f32(), gamma.offset(), (float) eps);
    }
  }

  /**
   * Scaled-dot-product attention of {@code batch} sequences of {@code len = q.rows() / batch}
   * tokens in the per-head column layout of a transformer ({@link AttentionRoutine} states the
   * math): Q is {@code n × heads·headDim}, K {@code n × kvHeads·headDim}, V
   * {@code n × kvHeads·valueDim} and O {@code n × heads·valueDim} with {@code n = batch·len}; query
   * head h attends with key/value head {@code h / (heads / kvHeads)}. Scores are
   * {@code scale·Q_h K_gᵀ} plus {@code keyMask} (an additive {@code batch × len} row per sequence,
   * {@code −Float.MAX_VALUE} for padded keys, or null) and, when {@code causal}, minus
   * {@code Float.MAX_VALUE} above the diagonal; each row is softmaxed and multiplied into V. Runs
   * the backend's fused routine when it has one, else the same computation from its batched GEMM
   * and softmax ({@link ComposedAttention}, which allocates {@code heads·len²} floats of scores).
   * Cost {@code 2·batch·heads·len²·(headDim + valueDim)} flops. F32 only. Modifies O only.
   *
   * @throws InvalidArgumentException on shapes that do not fit this layout, non-F32 operands, or
   *     if O overlaps an input
   */
  public void attention(int batch, int heads, int kvHeads, double scale, boolean causal, Matrix q, Matrix k, Matrix v,
      Matrix keyMask, Matrix out) {
    attention(batch, heads, kvHeads, scale, causal, q, k, v, keyMask, out, true);
  }

  /**
   * The attention of {@link #attention} composed from this backend's batched GEMM and softmax
   * ({@link ComposedAttention}) even when it has a fused routine: the result a fused routine must
   * reproduce bit for bit (conformance tests, benchmarks). Same arguments, checks and cost.
   */
  public void composedAttention(int batch, int heads, int kvHeads, double scale, boolean causal, Matrix q, Matrix k,
      Matrix v, Matrix keyMask, Matrix out) {
    attention(batch, heads, kvHeads, scale, causal, q, k, v, keyMask, out, false);
  }

  private void attention(int batch, int heads, int kvHeads, double scale, boolean causal, Matrix q, Matrix k, Matrix v,
      Matrix keyMask, Matrix out, boolean fused) {
    for (Matrix m : new Matrix[] {q, k, v, out}) {
      f32("attention", m);
    }
    if (batch < 1 || heads < 1 || kvHeads < 1 || heads % kvHeads != 0) {
      throw invalid("attention: batch " + batch + ", heads " + heads + " and kvHeads " + kvHeads
          + " must be at least 1, with heads a multiple of kvHeads.", "Pass the attention's head counts and at least one sequence.");
    }
    int n = q.rows();
    if (n % batch != 0 || k.rows() != n || v.rows() != n || out.rows() != n) {
      throw mismatch("attention: Q, K, V and O have " + n + ", " + k.rows() + ", " + v.rows() + " and " + out.rows()
          + " rows, which must be equal and a multiple of the batch " + batch + ".",
          "Pass batch·len rows of every operand, sequence b in rows b·len .. b·len + len − 1.");
    }
    if (q.cols() % heads != 0 || v.cols() % kvHeads != 0 || q.cols() == 0 || v.cols() == 0
        || k.cols() != q.cols() / heads * kvHeads || out.cols() != v.cols() / kvHeads * heads) {
      throw mismatch("attention: Q is " + n + "x" + q.cols() + ", K " + k.rows() + "x" + k.cols() + ", V " + v.rows() + "x"
          + v.cols() + " and O " + out.rows() + "x" + out.cols() + " for " + heads + " heads and " + kvHeads + " key/value heads.",
          "Q needs heads·headDim columns, K kvHeads·headDim, V kvHeads·valueDim and O heads·valueDim (headDim, valueDim >= 1).");
    }
    int len = n / batch;
    if (keyMask != null) {
      f32("attention", keyMask);
      if (keyMask.rows() != batch || keyMask.cols() != len) {
        throw mismatch("attention: the key mask is " + keyMask.rows() + "x" + keyMask.cols() + " for " + batch
            + " sequences of " + len + " tokens.", "Pass a batch x len additive mask, or null.");
      }
      noOverlap("attention", "O", out, "keyMask", keyMask);
    }
    noOverlap("attention", "O", out, "Q", q);
    noOverlap("attention", "O", out, "K", k);
    noOverlap("attention", "O", out, "V", v);
    if (len == 0) {
      return;
    }
    AttentionRoutine r = fused ? backend.attention().orElse(null) : null;
    if (r == null) {
      r = new ComposedAttention(batchedGemmRoutine(DType.F32), elementwise());
    }
    r.sattention(batch, len, heads, kvHeads, q.cols() / heads, v.cols() / kvHeads, (float) scale, causal,
        q.f32(), q.offset(), q.ld(), k.f32(), k.offset(), k.ld(), v.f32(), v.offset(), v.ld(),
        keyMask == null ? null : keyMask.f32(), keyMask == null ? 0 : keyMask.offset(), keyMask == null ? 0 : keyMask.ld(),
        out.f32(), out.offset(), out.ld());
  }

  // ---- kernel matrices ----------------------------------------------------------------------

  /**
   * Kernel matrix times vectors without forming the matrix:
   * {@code O = K(X, Y)·V + beta·O} with {@code K_ij = kernel(‖x_i − y_j‖²)}, X m×d targets, Y n×d
   * sources (points as rows, already divided by the lengthscale), V n×k, O m×k, one dtype.
   * Cost m·n·(3d + 2k + c_kernel) flops and no m×n storage; see {@link PairwiseKernelRoutine}.
   * Modifies O only.
   *
   * @throws InvalidArgumentException on mismatched shapes or dtypes, d = 0 with points present,
   *     or if O overlaps X, Y or V
   */
  public void kernelMultiply(RadialKernel kernel, Matrix x, Matrix y, Matrix v, double beta, Matrix o) {
    Objects.requireNonNull(kernel, "kernel");
    sameDType("kernelMultiply", x, y, v, o);
    int m = x.rows();
    int n = y.rows();
    int d = x.cols();
    int k = v.cols();
    if (y.cols() != d || v.rows() != n || o.rows() != m || o.cols() != k) {
      throw mismatch("kernelMultiply: X is " + m + "x" + d + ", Y is " + n + "x" + y.cols() + ", V is " + v.rows() + "x" + k
          + " and O is " + o.rows() + "x" + o.cols() + ".",
          "X must be m x d, Y n x d (same dimension d), V n x k and O m x k.");
    }
    if (d == 0 && m > 0 && n > 0) {
      throw invalid("kernelMultiply: the points have dimension d = 0.", "Pass points with at least one coordinate (d >= 1).");
    }
    noOverlap("kernelMultiply", "O", o, "X", x);
    noOverlap("kernelMultiply", "O", o, "Y", y);
    noOverlap("kernelMultiply", "O", o, "V", v);
    if (m == 0 || k == 0) {
      return;
    }
    if (n == 0) {
      scaleOutput(beta, o);
      return;
    }
    PairwiseKernelRoutine r = routine(RoutineFamily.PAIRWISE_KERNEL, o.dtype())
        ? backend.pairwiseKernel().orElseThrow() : reference.pairwiseKernel().orElseThrow();
    if (o.dtype() == DType.F32) {
      r.skernelMultiply(kernel, m, n, d, k, x.f32(), x.offset(), x.ld(), y.f32(), y.offset(), y.ld(),
          v.f32(), v.offset(), v.ld(), (float) beta, o.f32(), o.offset(), o.ld());
    } else {
      r.dkernelMultiply(kernel, m, n, d, k, x.f64(), x.offset(), x.ld(), y.f64(), y.offset(), y.ld(),
          v.f64(), v.offset(), v.ld(), beta, o.f64(), o.offset(), o.ld());
    }
  }

  private BatchedGemmRoutine batchedGemmRoutine(DType dtype) {
    return routine(RoutineFamily.BATCHED_GEMM, dtype) ? backend.batchedGemm().orElseThrow() : reference.batchedGemm().orElseThrow();
  }

  private ElementwiseRoutine elementwise() {
    return routine(RoutineFamily.ELEMENTWISE, DType.F32) ? backend.elementwise().orElseThrow() : reference.elementwise().orElseThrow();
  }

  private static void f32(String op, Matrix x) {
    Objects.requireNonNull(x, op + ": operand is null");
    if (x.dtype() != DType.F32) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH, op + ": operand is " + x.dtype() + " but this routine is F32 only.",
          "Convert with Matrix.toDType(DType.F32).");
    }
  }

  private static void normParam(String op, String name, Matrix p, Matrix x) {
    f32(op, p);
    if (p.rows() != 1 || p.cols() != x.cols()) {
      throw mismatch(op + ": " + name + " is " + p.rows() + "x" + p.cols() + " but x has " + x.cols() + " columns.",
          "Pass " + name + " as a 1 x " + x.cols() + " row.");
    }
    noOverlap(op, "x", x, name, p);
  }

  private static void checkEps(String op, double eps) {
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw invalid(op + ": eps is " + eps + ".", "Pass a finite eps >= 0.");
    }
  }

  /** Closes the backend (not the shared reference); idempotent. */
  @Override
  public void close() {
    if (closeable && closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "Compute[" + backend.describe() + (strict ? ", strict" : "") + "]";
  }

  // ---- dispatch ------------------------------------------------------------------------------

  /** True to use the backend's routine, false for the reference one (after warning or failing). */
  private boolean routine(RoutineFamily family, DType dtype) {
    if (backend.supports(family, dtype)) {
      return true;
    }
    if (strict) {
      throw new BackendUnavailableException(ErrorCode.ROUTINE_MISSING_STRICT, backend.id(),
          "Backend '" + backend.id() + "' has no " + family + " routine for " + dtype + " and strict mode is on.",
          "Turn strict mode off (--strict=false, -Dstructura.strict=false) to use the reference routine, "
              + "or choose a backend that implements it.",
          java.util.List.of(), null);
    }
    if (warned.add(family + "/" + dtype)) {
      LOG.log(System.Logger.Level.WARNING, "Backend '" + backend.id() + "' has no " + family + " routine for " + dtype
          + "; using the reference routine (slow). Use --strict to make this an error.");
    }
    return false;
  }

  private Level1Routine level1(DType dtype) {
    return routine(RoutineFamily.LEVEL1, dtype) ? backend.level1().orElseThrow() : reference.level1().orElseThrow();
  }

  /** C ← beta·C, where beta = 0 writes zeros without reading C (BLAS semantics). */
  private void scaleOutput(double beta, Matrix c) {
    if (beta == 0) {
      c.fill(0);
    } else if (beta != 1) {
      scale(beta, c);
    }
  }

  // ---- validation ----------------------------------------------------------------------------

  private static void sameDType(String op, Matrix... ms) {
    for (int i = 0; i < ms.length; i++) {
      Objects.requireNonNull(ms[i], op + ": operand " + i + " is null");
    }
    for (Matrix m : ms) {
      if (m.dtype() != ms[0].dtype()) {
        StringBuilder sb = new StringBuilder();
        for (Matrix x : ms) {
          sb.append(sb.isEmpty() ? "" : ", ").append(x.dtype());
        }
        throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
            op + ": operands have dtypes " + sb + ".",
            "Convert operands to one dtype with Matrix.toDType.");
      }
    }
  }

  /** Checks op(A) m×k, op(B) k×n, C m×n and returns k. */
  private static int innerDimension(String op, Transpose transA, Transpose transB, Matrix a, Matrix b, Matrix c) {
    int k = transA.transposed() ? a.rows() : a.cols();
    int am = transA.transposed() ? a.cols() : a.rows();
    int bk = transB.transposed() ? b.cols() : b.rows();
    int bn = transB.transposed() ? b.rows() : b.cols();
    if (am != c.rows() || bn != c.cols() || bk != k) {
      throw mismatch(op + ": op(A) is " + am + "x" + k + ", op(B) is " + bk + "x" + bn + " and C is " + c.rows() + "x" + c.cols()
          + " (transA=" + transA + ", transB=" + transB + ").",
          "op(A) must be m x k, op(B) k x n and C m x n.");
    }
    return k;
  }

  private static void sameShape(String op, Matrix x, Matrix y) {
    if (x.rows() != y.rows() || x.cols() != y.cols()) {
      throw mismatch(op + ": x is " + x.rows() + "x" + x.cols() + " and y is " + y.rows() + "x" + y.cols() + ".",
          "Pass two matrices of one shape, or two vectors of one length.");
    }
  }

  private static void sameLength(String op, Vec x, Vec y) {
    if (x.n != y.n) {
      throw mismatch(op + ": x has " + x.n + " entries and y has " + y.n + ".", "Pass vectors of one length.");
    }
  }

  private static void noOverlap(String op, String outName, Matrix out, String inName, Matrix in) {
    if (out.mayOverlap(in)) {
      throw new InvalidArgumentException(ErrorCode.ALIASING,
          op + ": output " + outName + " " + out + " overlaps input " + inName + " " + in + ".",
          "Write the result into separate storage (copy the input first if it must be reused).");
    }
  }

  private static void checkBatchBounds(String name, Matrix m, int stride, int batch) {
    long[] e = m.extent();
    long length = m.dtype() == DType.F32 ? m.f32().length : m.f64().length;
    if (e[1] > e[0] && e[1] + (long) (batch - 1) * stride > length) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          "batchedGemm: the last of " + batch + " " + name + " blocks (stride " + stride + ") ends at element "
              + (e[1] + (long) (batch - 1) * stride) + " of an array of length " + length + ".",
          "Reduce the batch count or stride, or pass a larger array.");
    }
  }

  private static boolean batchOverlap(Matrix c, int strideC, Matrix in, int strideIn, int batch) {
    if (c.array() != in.array()) {
      return false;
    }
    long[] ec = c.extent();
    long[] ei = in.extent();
    long cEnd = ec[1] + (long) (batch - 1) * strideC;
    long iEnd = ei[1] + (long) (batch - 1) * strideIn;
    return ec[0] < ec[1] && ei[0] < ei[1] && ec[0] < iEnd && ei[0] < cEnd;
  }

  private static Matrix shifted(Matrix m, long by) {
    int off = Math.toIntExact(m.offset() + by);
    return m.dtype() == DType.F32
        ? Matrix.wrap(m.f32(), off, m.rows(), m.cols(), m.ld())
        : Matrix.wrap(m.f64(), off, m.rows(), m.cols(), m.ld());
  }

  private static boolean isVector(Matrix m) {
    return m.rows() <= 1 || m.cols() <= 1;
  }

  private static InvalidArgumentException mismatch(String detail, String remedy) {
    return new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, detail, remedy);
  }

  private static InvalidArgumentException invalid(String detail, String remedy) {
    return new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, detail, remedy);
  }

  /** A vector view: length, first index, stride. */
  private record Vec(int n, int off, int inc) {
    static Vec of(String op, String name, Matrix m) {
      if (m.rows() == 0 || m.cols() == 0) {
        return new Vec(0, m.offset(), 1);
      }
      if (m.rows() == 1) {
        return new Vec(m.cols(), m.offset(), 1);
      }
      if (m.cols() == 1) {
        return new Vec(m.rows(), m.offset(), m.ld());
      }
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          op + ": " + name + " must be a vector (1 x n or n x 1) but is " + m.rows() + "x" + m.cols() + ".",
          "Pass a row or column view, for example matrix.column(j).");
    }
  }
}
