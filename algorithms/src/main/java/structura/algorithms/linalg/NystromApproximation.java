package structura.algorithms.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.LinearOperator;

/**
 * Nyström approximation of a symmetric positive semidefinite matrix, K ≈ C·W⁺·Cᵀ with landmark
 * columns chosen uniformly, by pivoted Cholesky, or by ridge leverage scores.
 *
 * <p><b>Method.</b> Select J (|J| = k), C = K(:, J), W = K(J, J). W = U·Λ·Uᵀ ({@link SymmetricEigen});
 * eigenvalues below k·u·λ_max are dropped (the stable pseudo-inverse) and F = C·U_r·Λ_r^{-1/2}
 * (a GEMM on the backend), so K ≈ F·Fᵀ. With pivoted-Cholesky selection, F is the Cholesky factor
 * L itself (L·Lᵀ = C·W⁻¹·Cᵀ in exact arithmetic, computed without forming W⁻¹). Ridge leverage
 * scores come from a Cholesky factorization of K + λI: s_i = 1 − λ·[(K+λI)⁻¹]_ii.
 *
 * <p><b>Source.</b> C. Williams and M. Seeger, "Using the Nyström method to speed up kernel
 * machines", NIPS 2001; A. Gittens and M. W. Mahoney, "Revisiting the Nyström method for improved
 * large-scale machine learning", JMLR 17, 2016; A. Alaoui and M. W. Mahoney, "Fast randomized
 * kernel ridge regression with statistical guarantees", NIPS 2015 (ridge leverage scores);
 * C.-H. Lin et al., "MoDeGPT", ICLR 2025, compress_mlp (top-k ridge leverage, §3.5 of our notes);
 * Harbrecht, Peters and Schneider 2012 (pivoted Cholesky).
 *
 * <p><b>Cost.</b> Uniform / pivoted Cholesky: O(nk²) plus k column reads; ridge leverage:
 * n³/3 for the Cholesky of K + λI and n³/3 for the diagonal of its inverse. Memory O(nk) (plus
 * O(n²) for ridge leverage).
 *
 * <p><b>Deviations.</b> Ridge leverage takes the top-k scores deterministically (MoDeGPT) instead of
 * sampling proportionally; λ is relative to the mean diagonal. Small eigenproblems run in double.
 */
public final class NystromApproximation {
  private final Compute compute;
  private final NystromOptions options;

  /**
   * @param compute backend for the products
   * @param options rank, selection rule, ridge, seed
   */
  public NystromApproximation(Compute compute, NystromOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }


  /**
   * Approximates the symmetric PSD matrix {@code k}.
   *
   * @throws structura.api.InvalidArgumentException for empty, non-square or non-finite input, or a
   *     rank above n
   * @throws NumericalFailureException if K + λI is not positive definite (K far from PSD)
   */
  public NystromResult approximate(Matrix k) {
    Checks.input("NystromApproximation.approximate", "k", k);
    Checks.square("NystromApproximation.approximate", "k", k);
    int n = k.rows();
    int r = options.rank();
    Checks.rank("NystromApproximation.approximate", "rank", r, n, false);
    if (options.selection() == NystromOptions.Selection.PIVOTED_CHOLESKY) {
      PivotedCholeskyResult pc = new PivotedCholesky(compute, PivotedCholeskyOptions.ofRank(r)).factor(k);
      return new NystromResult(pc.pivots(), pc.l());
    }
    int[] j = options.selection() == NystromOptions.Selection.UNIFORM ? uniform(n, r) : ridgeLeverage(k, r);
    return fromLandmarks(k, j);
  }

  /**
   * Approximates the symmetric PSD operator {@code k} from products alone; it is never densified.
   * {@link NystromOptions.Selection#UNIFORM}: C = K·E_J, one product with r unit vectors.
   * {@link NystromOptions.Selection#PIVOTED_CHOLESKY}: the diagonal through products with blocks of
   * 64 unit vectors (n vectors in all: the cost of one product with an n×n
   * block, but O(n·64) memory), then one product per pivot column. Same
   * landmarks and factor as {@link #approximate(Matrix)} on the dense matrix, up to rounding.
   *
   * @throws structura.api.InvalidArgumentException for an empty or non-square operator, a rank
   *     above n, products that are not finite, or {@link NystromOptions.Selection#RIDGE_LEVERAGE}
   *     (it factors the whole K + λI, which no product gives)
   */
  public NystromResult approximate(LinearOperator k) {
    Objects.requireNonNull(k, "k");
    String method = "NystromApproximation.approximate";
    Checks.nonEmpty(method, "k", k.rows(), k.cols());
    if (k.rows() != k.cols()) {
      throw Checks.mismatch(method + ": argument 'k' must be square but is " + k.rows() + "x" + k.cols() + ".",
          "Pass a square (symmetric PSD) operator.");
    }
    int n = k.rows();
    int r = options.rank();
    Checks.rank(method, "rank", r, n, false);
    switch (options.selection()) {
      case UNIFORM -> {
        int[] j = uniform(n, r);
        Matrix c = k.apply(UnitVectors.columns(k.dtype(), n, j)).toDType(DType.F64);
        Checks.finite(method, "k·E_J", c);
        return fromColumns(c, j, k.dtype());
      }
      case PIVOTED_CHOLESKY -> {
        double[] diagonal = probeDiagonal(k);
        PivotedCholeskyResult pc = new PivotedCholesky(compute, PivotedCholeskyOptions.ofRank(r))
            .factor(n, p -> k.apply(UnitVectors.columns(k.dtype(), n, new int[] {p})).toDType(DType.F64).f64(), diagonal,
                k.dtype());
        return new NystromResult(pc.pivots(), pc.l());
      }
      case RIDGE_LEVERAGE -> throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": ridge leverage scores need a Cholesky factorization of the whole K + λI, which products"
              + " with an operator do not give.",
          "Use Selection.UNIFORM or Selection.PIVOTED_CHOLESKY, or pass k.toDense() to approximate(Matrix).");
      default -> throw new IllegalStateException(options.selection().toString());
    }
  }

  /** Unit vectors probed per product when reading an operator's diagonal. */
  private static final int PROBE_BLOCK = 64;

  /** diag(K) through products with blocks of unit vectors; PivotedCholesky checks it (finite, non-negative). */
  private static double[] probeDiagonal(LinearOperator k) {
    int n = k.rows();
    double[] diagonal = new double[n];
    for (int from = 0; from < n; from += PROBE_BLOCK) {
      int b = Math.min(PROBE_BLOCK, n - from);
      int[] idx = new int[b];
      for (int q = 0; q < b; q++) {
        idx[q] = from + q;
      }
      Matrix columns = k.apply(UnitVectors.columns(k.dtype(), n, idx));
      for (int q = 0; q < b; q++) {
        diagonal[from + q] = columns.get(from + q, q);
      }
    }
    return diagonal;
  }

  /** The Nyström factor for given landmarks J. */
  public NystromResult fromLandmarks(Matrix k, int[] j) {
    int n = k.rows();
    int r = j.length;
    Matrix c = Matrix.zeros(DType.F64, n, r);
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < r; q++) {
        c.set(i, q, k.get(i, j[q]));
      }
    }
    return fromColumns(c, j, k.dtype());
  }

  /**
   * The Nyström factor from landmark columns already computed, C = K(:, J) (n×r, any dtype; the
   * rows J of C form W = K(J, J)), for callers that read kernel columns directly instead of
   * through products. Result in C's dtype; C is not modified.
   */
  public NystromResult fromLandmarkColumns(Matrix columns, int[] landmarks) {
    Checks.input("NystromApproximation.fromLandmarkColumns", "columns", columns);
    if (landmarks.length != columns.cols()) {
      throw Checks.mismatch("NystromApproximation.fromLandmarkColumns: " + landmarks.length + " landmarks but "
          + columns.cols() + " columns.", "Pass one landmark index per column.");
    }
    return fromColumns(columns.toDType(DType.F64), landmarks, columns.dtype());
  }

  /** The Nyström factor from the landmark columns C = K(:, J) (n×r F64); the result in {@code dtype}. */
  private NystromResult fromColumns(Matrix c, int[] j, DType dtype) {
    int n = c.rows();
    int r = j.length;
    Matrix w = Matrix.zeros(DType.F64, r, r);
    for (int p = 0; p < r; p++) {
      w.row(p).copyFrom(c.row(j[p]));
    }
    // Symmetrize W against rounding in K before the eigensolve.
    for (int p = 0; p < r; p++) {
      for (int q = 0; q < p; q++) {
        double v = 0.5 * (w.get(p, q) + w.get(q, p));
        w.set(p, q, v);
        w.set(q, p, v);
      }
    }
    SymmetricEigen e = SymmetricEigen.decompose(w);
    double[] lambda = e.values();
    double cut = r * Math.ulp(1.0) * Math.max(lambda[0], 0);
    int keep = 0;
    while (keep < r && lambda[keep] > cut) {
      keep++;
    }
    Matrix v = e.vectors().view(0, 0, r, keep).copy();
    for (int q = 0; q < keep; q++) {
      double s = 1 / Math.sqrt(lambda[q]);
      for (int p = 0; p < r; p++) {
        v.set(p, q, v.get(p, q) * s);
      }
    }
    Matrix f = keep == 0 ? Matrix.zeros(DType.F64, n, 0) : compute.multiply(Transpose.N, c, Transpose.N, v);
    return new NystromResult(j.clone(), f.dtype() == dtype ? f : f.toDType(dtype));
  }

  private int[] uniform(int n, int r) {
    int[] j = Arrays.copyOf(Sketches.sampleRows(n, r, new SplittableRandom(options.seed())), r);
    Arrays.sort(j);
    return j;
  }

  /** Indices of the r largest ridge leverage scores, ascending. */
  int[] ridgeLeverage(Matrix k, int r) {
    double[] s = ridgeLeverageScores(k);
    Integer[] order = Ejml.descending(s, s.length);
    int[] j = new int[r];
    for (int i = 0; i < r; i++) {
      j[i] = order[i];
    }
    Arrays.sort(j);
    return j;
  }

  /** s_i = 1 − λ·[(K+λI)⁻¹]_ii with λ = ridge·trace(K)/n. */
  double[] ridgeLeverageScores(Matrix k) {
    int n = k.rows();
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += k.get(i, i);
    }
    double lambda = options.ridge() * trace / n;
    Matrix shifted = k.toDType(DType.F64);
    for (int i = 0; i < n; i++) {
      shifted.set(i, i, shifted.get(i, i) + lambda);
    }
    double[] l = new Cholesky(compute, new CholeskyOptions(64)).factorF64(shifted);
    // diag((LLᵀ)⁻¹)_i = ‖L⁻¹e_i‖²: one forward substitution per column.
    double[] inv = new double[n];
    double[] x = new double[n];
    for (int c = 0; c < n; c++) {
      Arrays.fill(x, 0);
      x[c] = 1 / l[c * n + c];
      double sum = x[c] * x[c];
      for (int i = c + 1; i < n; i++) {
        double t = 0;
        for (int p = c; p < i; p++) {
          t += l[i * n + p] * x[p];
        }
        x[i] = -t / l[i * n + i];
        sum += x[i] * x[i];
      }
      // x = L⁻¹e_c is column c of L⁻¹, and diag(L⁻ᵀL⁻¹)_c is its squared norm.
      inv[c] = sum;
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = 1 - lambda * inv[i];
    }
    return s;
  }
}
