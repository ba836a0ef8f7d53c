package structura.algorithms.structured;

import java.util.Objects;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.NumericalFailureException;
import structura.algorithms.linalg.SvdResult;
import structura.algorithms.linalg.TriangularInverse;
import structura.algorithms.linalg.TruncatedSvd;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Linear;

/**
 * A two-core block tensor-train (Monarch when r = 1) approximation M of a weight W fitted to the
 * layer's inputs: minimises {@code ‖(W − M)·S‖_F² = tr((W − M)·C·(W − M)ᵀ)}, with {@code C = XᵀX/N}
 * the second moment of the calibration inputs (positive definite; the caller regularises it) and
 * {@code S·Sᵀ = C}. This is {@code ‖X·(W − M)ᵀ‖_F²/N}, the error of the layer's output on the
 * calibration tokens.
 *
 * <p><b>Why not "project W·S and map back".</b> The weight-space projections
 * ({@link MonarchProjection}, {@link BlockTensorTrainProjection}) are optimal for S = I. For a
 * general S, the projection P of W·S is structured but P·S⁻¹ is not: S mixes the input blocks.
 * The method below keeps M in the structure at every step.
 *
 * <p><b>Structure</b> ({@link Linear.Btt}): in = m₁·m₂ (m₂ input blocks of width m₁), out =
 * n₁·n₂ (n₁ output classes i₁ with rows i₁ + n₁·i₂). The rows of class i₁ are
 * {@code M_{i₁} = B_{i₁}·Ã_{i₁}} with B_{i₁} = B[i₁] ({@code n₂ × m₂r}) and Ã_{i₁}
 * ({@code m₂r × in}) block-diagonal: its rows j₂·r + α are A[j₂][α·n₁ + i₁, ·] on input block j₂
 * and zero elsewhere. Every core entry belongs to exactly one class, so the objective is a sum
 * of n₁ independent problems {@code min ‖(W_{i₁} − B·Ã)·S‖²}, solved class by class.
 *
 * <p><b>Method</b> (per class). Write C_{bb'} for the m₁ × m₁ blocks of C.
 * <ol>
 * <li><i>Start: block-diagonal whitening.</i> With C replaced by diag(C_{00}, …) and
 * S_b = chol(C_{bb}), the problem is exactly solvable: (B·Ã)·S stays block-diagonal in the same
 * blocks, so each n₂ × m₁ block W_{i₁}[:, b]·S_b gets its best rank-r approximation
 * U·Σ·Vᵀ (Eckart–Young); B's columns are U·Σ^{1/2} and Ã's rows on block b are
 * Σ^{1/2}·Vᵀ·S_b⁻¹. This ignores correlations between input blocks.</li>
 * <li><i>Alternating refinement with the full C</i>, {@code sweeps} times: B-step, the exact
 * least squares {@code B = (W_{i₁}·C·Ãᵀ)·(Ã·C·Ãᵀ)⁻¹}; Ã-step, block coordinate descent over
 * the input blocks b, each an exact minimiser: with P = BᵀB, H = Bᵀ·W_{i₁}·C and T = Ã·C,
 * <pre>P_{RR}·Ã_b·C_{bb} = H[R, b] − P[R, :]·T[:, b] + P_{RR}·T[R, b]</pre>
 * (R the r rows of block b), solved as {@code Ã_b = P_{RR}⁻¹·(…)·C_{bb}⁻¹}, then T[R, :] updated.</li>
 * <li>A final B-step.</li>
 * </ol>
 * Every step minimises the objective exactly over its variables (up to a ridge of
 * 1e-10 × mean diagonal added to P_{RR} and Ã·C·Ãᵀ, which only matters when they are singular),
 * so the error never increases; it is not claimed to reach the global optimum (the problem is
 * not convex). When W is itself such a BTT (or Monarch) matrix, step 1 returns it exactly
 * (each block W_{i₁}[:, b]·S_b has rank ≤ r), and so do the refinements. With C = I step 1 is the
 * Frobenius projection of {@link BlockTensorTrainProjection} for two cores.
 *
 * <p><b>Cost.</b> W·C: 2·out·in² flops (backend GEMM). Step 1: m₂ Cholesky factorisations and
 * inverses of m₁ × m₁, n₁·m₂ SVDs of n₂ × m₁ (EJML). Each sweep: per class O(r·in² + n₂·in·m₂r
 * + (m₂r)³), so O(n₁·r·in² + out·in·m₂r + n₁·(m₂r)³) in all. Memory: W·C and one class's
 * {@code m₂r × in} intermediates, in F64. Not modified: W, C.
 */
public final class WhitenedBlockTensorTrainFit {
  /** Relative ridge on singular Gram blocks (see the class comment). */
  static final double RIDGE = 1e-10;

  private final Compute compute;

  /** @param compute backend of the W·C product and the Cholesky factorisations */
  public WhitenedBlockTensorTrainFit(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /**
   * The cores and the relative calibration errors {@code ‖(W − M)·S‖_F / ‖W·S‖_F} after the
   * start (step 1) and at the end.
   */
  public record Result(Linear.Btt btt, double startError, double error) {}

  /** Dimensions of a two-core BTT: in = m1·m2, out = n1·n2, rank r. */
  public record Shape(int m1, int m2, int n1, int n2, int rank) {
    /** Validates positivity. */
    public Shape {
      if (m1 < 1 || m2 < 1 || n1 < 1 || n2 < 1 || rank < 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "a BTT shape needs positive dimensions and rank; got m1 = "
            + m1 + ", m2 = " + m2 + ", n1 = " + n1 + ", n2 = " + n2 + ", r = " + rank + ".", "Pass positive values.");
      }
    }

    /** Core entries, equal to the multiply-accumulates per row: r·(n₁·in + m₂·out). */
    public long macsPerRow() {
      return (long) rank * ((long) n1 * m1 * m2 + (long) m2 * n1 * n2);
    }
  }

  /**
   * Fits M to W under the second moment C.
   *
   * @param w W, {@code out × in} (F32 or F64)
   * @param c C, {@code in × in}, symmetric positive definite (F64)
   * @param shape the structure, with {@code m1·m2 = in} and {@code n1·n2 = out}
   * @param sweeps alternating refinements after the start, ≥ 0
   * @throws InvalidArgumentException for shapes that disagree, or a negative sweep count
   * @throws NumericalFailureException if a diagonal block of C is not positive definite
   */
  public Result fit(Matrix w, Matrix c, Shape shape, int sweeps) {
    int out = w.rows();
    int in = w.cols();
    int m1 = shape.m1();
    int m2 = shape.m2();
    int n1 = shape.n1();
    int n2 = shape.n2();
    int r = shape.rank();
    if ((long) m1 * m2 != in || (long) n1 * n2 != out || c.rows() != in || c.cols() != in || sweeps < 0) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "WhitenedBlockTensorTrainFit: W is " + out + "x" + in
          + ", C " + c.rows() + "x" + c.cols() + ", shape " + shape + ", sweeps " + sweeps + ".",
          "Pass m1·m2 = in, n1·n2 = out, C in × in and sweeps ≥ 0.");
    }
    Matrix w64 = w.toDType(DType.F64);
    Matrix c64 = c.toDType(DType.F64);
    Matrix wc = Matrix.zeros(DType.F64, out, in);
    compute.gemm(Transpose.N, Transpose.N, 1.0, w64, c64, 0.0, wc);
    double total = traceProduct(w64, wc);

    Cholesky chol = new Cholesky(compute, CholeskyOptions.defaults());
    TriangularInverse tri = new TriangularInverse(compute);
    Matrix[] s = new Matrix[m2];
    Matrix[] sInv = new Matrix[m2];
    Matrix[] cbbInv = new Matrix[m2];
    for (int b = 0; b < m2; b++) {
      Matrix cbb = c64.view(b * m1, b * m1, m1, m1).copy();
      s[b] = chol.factor(cbb);
      sInv[b] = tri.lower(s[b]);
      cbbInv[b] = Matrix.zeros(DType.F64, m1, m1);
      compute.gemm(Transpose.T, Transpose.N, 1.0, sInv[b], sInv[b], 0.0, cbbInv[b]); // C_bb⁻¹ = S⁻ᵀ S⁻¹
    }

    int width = m2 * r;
    Matrix[] bs = new Matrix[n1];
    Matrix[] as = new Matrix[n1]; // Ã_{i1}: width × m1, row j2·r + α holds the entries on block j2
    Matrix wi = Matrix.zeros(DType.F64, n2, in);
    Matrix wci = Matrix.zeros(DType.F64, n2, in);
    for (int i1 = 0; i1 < n1; i1++) {
      classRows(w64, i1, n1, wi);
      bs[i1] = Matrix.zeros(DType.F64, n2, width);
      as[i1] = Matrix.zeros(DType.F64, width, m1);
      start(wi, s, sInv, r, m1, bs[i1], as[i1]);
    }
    double startError = relativeError(w64, c64, assemble(shape, bs, as), total);
    for (int i1 = 0; i1 < n1; i1++) {
      classRows(w64, i1, n1, wi);
      classRows(wc, i1, n1, wci);
      for (int sweep = 0; sweep < sweeps; sweep++) {
        leastSquaresB(wci, c64, as[i1], r, m1, bs[i1]);
        coordinateA(wci, c64, cbbInv, bs[i1], r, m1, as[i1]);
      }
      if (sweeps > 0) {
        leastSquaresB(wci, c64, as[i1], r, m1, bs[i1]);
      }
    }
    Linear.Btt btt = assemble(shape, bs, as);
    double error = sweeps == 0 ? startError : relativeError(w64, c64, btt, total);
    return new Result(btt, startError, error);
  }

  /** Rows i1, i1 + n1, … of {@code m} into {@code into}. */
  private static void classRows(Matrix m, int i1, int n1, Matrix into) {
    for (int i2 = 0; i2 < into.rows(); i2++) {
      into.row(i2).copyFrom(m.row(i1 + n1 * i2));
    }
  }

  /** Step 1 for one class: per input block, the rank-r SVD of W_{i1}[:, b]·S_b. */
  private void start(Matrix wi, Matrix[] s, Matrix[] sInv, int r, int m1, Matrix bOut, Matrix aOut) {
    int n2 = wi.rows();
    Matrix block = Matrix.zeros(DType.F64, n2, m1);
    Matrix vs = Matrix.zeros(DType.F64, 1, m1);
    for (int b = 0; b < s.length; b++) {
      compute.gemm(Transpose.N, Transpose.N, 1.0, wi.view(0, b * m1, n2, m1), s[b], 0.0, block);
      int kept = Math.min(r, Math.min(n2, m1));
      SvdResult svd = new TruncatedSvd(kept).decompose(block);
      double[] sigma = svd.singularValues();
      for (int a = 0; a < kept; a++) {
        double root = Math.sqrt(sigma[a]);
        for (int i2 = 0; i2 < n2; i2++) {
          bOut.set(i2, b * r + a, root * svd.u().get(i2, a));
        }
        compute.gemm(Transpose.N, Transpose.N, root, svd.vt().view(a, 0, 1, m1), sInv[b], 0.0, vs);
        aOut.row(b * r + a).copyFrom(vs);
      }
    }
  }

  /** T = Ã·C ({@code width × in}), Ã block-diagonal. */
  private Matrix timesC(Matrix a, Matrix c, int r, int m1) {
    int width = a.rows();
    int in = c.cols();
    Matrix t = Matrix.zeros(DType.F64, width, in);
    for (int b = 0; b < width / r; b++) {
      compute.gemm(Transpose.N, Transpose.N, 1.0, a.view(b * r, 0, r, m1), c.view(b * m1, 0, m1, in), 0.0,
          t.view(b * r, 0, r, in));
    }
    return t;
  }

  /** {@code X·Ãᵀ} for X with {@code in} columns: column j2·r + α is X[:, block j2]·Ã row. */
  private Matrix timesAT(Matrix x, Matrix a, int r, int m1) {
    int width = a.rows();
    Matrix y = Matrix.zeros(DType.F64, x.rows(), width);
    for (int b = 0; b < width / r; b++) {
      compute.gemm(Transpose.N, Transpose.T, 1.0, x.view(0, b * m1, x.rows(), m1), a.view(b * r, 0, r, m1), 0.0,
          y.view(0, b * r, x.rows(), r));
    }
    return y;
  }

  /** The B-step: {@code B = (W_{i1}·C·Ãᵀ)·(Ã·C·Ãᵀ)⁻¹}. */
  private void leastSquaresB(Matrix wci, Matrix c, Matrix a, int r, int m1, Matrix bOut) {
    Matrix gram = timesAT(timesC(a, c, r, m1), a, r, m1); // width × width
    Matrix rhs = timesAT(wci, a, r, m1); // n2 × width
    Matrix bt = ridgeSolve(gram, rhs.transposeCopy());
    if (bt == null) {
      bOut.fill(0);
      return;
    }
    bOut.copyFrom(bt.transposeCopy());
  }

  /** The Ã-step: block coordinate descent over the input blocks, each an exact minimiser. */
  private void coordinateA(Matrix wci, Matrix c, Matrix[] cbbInv, Matrix b, int r, int m1, Matrix a) {
    int width = a.rows();
    int in = c.cols();
    Matrix p = Matrix.zeros(DType.F64, width, width);
    compute.gemm(Transpose.T, Transpose.N, 1.0, b, b, 0.0, p);
    Matrix h = Matrix.zeros(DType.F64, width, in);
    compute.gemm(Transpose.T, Transpose.N, 1.0, b, wci, 0.0, h);
    Matrix t = timesC(a, c, r, m1);
    Matrix rhs = Matrix.zeros(DType.F64, r, m1);
    Matrix scaled = Matrix.zeros(DType.F64, r, m1);
    for (int blk = 0; blk < width / r; blk++) {
      int row = blk * r;
      int col = blk * m1;
      rhs.copyFrom(h.view(row, col, r, m1));
      compute.gemm(Transpose.N, Transpose.N, -1.0, p.view(row, 0, r, width), t.view(0, col, width, m1), 1.0, rhs);
      compute.gemm(Transpose.N, Transpose.N, 1.0, p.view(row, row, r, r), t.view(row, col, r, m1), 1.0, rhs);
      Matrix left = ridgeSolve(p.view(row, row, r, r).copy(), rhs);
      if (left == null) {
        a.view(row, 0, r, m1).fill(0);
      } else {
        compute.gemm(Transpose.N, Transpose.N, 1.0, left, cbbInv[blk], 0.0, scaled);
        a.view(row, 0, r, m1).copyFrom(scaled);
      }
      compute.gemm(Transpose.N, Transpose.N, 1.0, a.view(row, 0, r, m1), c.view(col, 0, m1, in), 0.0, t.view(row, 0, r, in));
    }
  }

  /**
   * G⁻¹·Y for symmetric positive semidefinite G, with a ridge of {@link #RIDGE} × mean diagonal;
   * null when G is zero (the variables it multiplies do not enter the objective).
   */
  private Matrix ridgeSolve(Matrix g, Matrix y) {
    int n = g.rows();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += g.get(i, i);
    }
    mean /= n;
    if (!(mean > 0)) {
      return null;
    }
    Matrix shifted = g.copy();
    for (int i = 0; i < n; i++) {
      shifted.set(i, i, shifted.get(i, i) + RIDGE * mean);
    }
    return new Cholesky(compute, CholeskyOptions.defaults()).solve(shifted, y);
  }

  /** The cores in {@link Linear.Btt}'s layout (F32) from each class's B and Ã. */
  private static Linear.Btt assemble(Shape shape, Matrix[] bs, Matrix[] as) {
    int m1 = shape.m1();
    int m2 = shape.m2();
    int n1 = shape.n1();
    int n2 = shape.n2();
    int r = shape.rank();
    Matrix first = Matrix.zeros(DType.F32, m2 * r * n1, m1);
    Matrix second = Matrix.zeros(DType.F32, n1 * n2, m2 * r);
    for (int i1 = 0; i1 < n1; i1++) {
      second.view(i1 * n2, 0, n2, m2 * r).copyFrom(bs[i1].toDType(DType.F32));
      for (int j2 = 0; j2 < m2; j2++) {
        for (int a = 0; a < r; a++) {
          first.row(j2 * r * n1 + a * n1 + i1).copyFrom(as[i1].row(j2 * r + a).toDType(DType.F32));
        }
      }
    }
    return new Linear.Btt(m1, m2, n1, n2, r, first, second);
  }

  /** The dense W of a two-core BTT ({@code out × in}, F64), from the entrywise formula. */
  public static Matrix dense(Linear.Btt t) {
    int m1 = t.m1();
    int n1 = t.n1();
    int r = t.rank();
    Matrix w = Matrix.zeros(DType.F64, t.out(), t.in());
    for (int i1 = 0; i1 < n1; i1++) {
      for (int i2 = 0; i2 < t.n2(); i2++) {
        for (int j2 = 0; j2 < t.m2(); j2++) {
          for (int j1 = 0; j1 < m1; j1++) {
            double sum = 0;
            for (int a = 0; a < r; a++) {
              sum += t.second().get(i1 * t.n2() + i2, j2 * r + a) * t.first().get(j2 * r * n1 + a * n1 + i1, j1);
            }
            w.set(i1 + n1 * i2, j1 + m1 * j2, sum);
          }
        }
      }
    }
    return w;
  }

  /** {@code √(tr(E·C·Eᵀ) / total)} with E = W − M (M formed densely, for the report). */
  private double relativeError(Matrix w, Matrix c, Linear.Btt m, double total) {
    Matrix e = w.copy();
    Matrix dm = dense(m);
    for (int i = 0; i < e.rows(); i++) {
      for (int j = 0; j < e.cols(); j++) {
        e.set(i, j, e.get(i, j) - dm.get(i, j));
      }
    }
    Matrix ec = Matrix.zeros(DType.F64, e.rows(), e.cols());
    compute.gemm(Transpose.N, Transpose.N, 1.0, e, c, 0.0, ec);
    double err = traceProduct(e, ec);
    return total > 0 ? Math.sqrt(Math.max(0, err) / total) : 0;
  }

  /** Σ_ij a_ij·b_ij, i.e. tr(A·Bᵀ). */
  private static double traceProduct(Matrix a, Matrix b) {
    double s = 0;
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.cols(); j++) {
        s += a.get(i, j) * b.get(i, j);
      }
    }
    return s;
  }
}
