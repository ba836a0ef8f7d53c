package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;

/**
 * Partial (greedy, diagonally pivoted) Cholesky of a symmetric positive semidefinite matrix:
 * A ≈ L·Lᵀ with L n×k, choosing at each step the largest residual diagonal entry, stopping at a
 * rank or when the residual trace falls below a tolerance.
 *
 * <p><b>Method.</b> At step k: p = argmax of the residual diagonal d; column
 * l = (A(:, p) − L(:, 0:k)·L(p, 0:k)ᵀ)/√d(p); d ← d − l². Only the k selected columns of A and its
 * diagonal are read, so the cost is O(nk²) and A may be a kernel matrix evaluated on demand. Since
 * trace(A − LLᵀ) = Σd, the trace stop is exact. On a Gram matrix XᵀX the pivots are those of
 * column-pivoted QR of X (in exact arithmetic), see {@link GramInterpolativeDecomposition}.
 *
 * <p><b>Source.</b> H. Harbrecht, M. Peters and R. Schneider, "On the low-rank approximation by
 * the pivoted Cholesky decomposition", Appl. Numer. Math. 62(4), 2012, Alg. 1; N. J. Higham,
 * "Cholesky factorization", WIREs Comp. Stat. 1(2), 2009 (complete pivoting); as used for GP
 * preconditioning in GPyTorch (Gardner et al., NeurIPS 2018).
 *
 * <p><b>Cost.</b> nk² flops, n + k(n+1) reads of A. Memory: L (n×k) in double.
 *
 * <p><b>Deviations.</b> Level-2 (column at a time) rather than blocked: the greedy choice needs
 * the updated diagonal after every step. Stops early when the largest residual diagonal entry is
 * not positive (A exactly of rank k), so {@link PivotedCholeskyResult#rank()} can be below
 * maxRank.
 */
public final class PivotedCholesky {
  private final PivotedCholeskyOptions options;

  /**
   * @param options rank and trace tolerance
   */
  public PivotedCholesky(PivotedCholeskyOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Factors the symmetric PSD matrix {@code a} (only its diagonal and pivot columns are read).
   *
   * @throws structura.api.InvalidArgumentException if {@code a} is empty, not square, not finite,
   *     has a negative diagonal entry, or maxRank exceeds n
   */
  public PivotedCholeskyResult factor(Matrix a) {
    Checks.input("PivotedCholesky.factor", "a", a);
    Checks.square("PivotedCholesky.factor", "a", a);
    int n = a.rows();
    Checks.rank("PivotedCholesky.factor", "maxRank", options.maxRank(), n, true);
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = a.get(i, i);
      if (diag[i] < 0) {
        throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
            "PivotedCholesky.factor: argument 'a' has a negative diagonal entry " + diag[i] + " at " + i
                + ", so it is not positive semidefinite.",
            "Pass a PSD matrix (a covariance, Gram or kernel matrix).");
      }
    }
    return factorColumns(n, j -> {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = a.get(i, j);
      }
      return col;
    }, diag, a.dtype());
  }

  /**
   * Factors an implicit symmetric PSD matrix (a kernel matrix evaluated on demand): only its
   * diagonal and the k pivot columns are ever requested, so an n×n matrix costs O(nk) storage.
   *
   * @param n order of the matrix
   * @param column returns column j as a new array of length n (it is overwritten)
   * @param diagonal the n diagonal entries (not modified); must be finite and non-negative
   * @param dtype dtype of the returned L
   * @return the partial factorization
   * @throws structura.api.InvalidArgumentException for a bad diagonal, a column of the wrong
   *     length or with non-finite values, or maxRank above n
   */
  public PivotedCholeskyResult factor(int n, java.util.function.IntFunction<double[]> column, double[] diagonal,
      DType dtype) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(diagonal, "diagonal");
    Objects.requireNonNull(dtype, "dtype");
    Checks.positive("PivotedCholesky.factor", "n", n);
    if (diagonal.length != n) {
      throw Checks.mismatch("PivotedCholesky.factor: diagonal has " + diagonal.length + " entries, n = " + n + ".",
          "Pass the n diagonal entries.");
    }
    Checks.rank("PivotedCholesky.factor", "maxRank", options.maxRank(), n, true);
    for (int i = 0; i < n; i++) {
      if (!(diagonal[i] >= 0) || Double.isInfinite(diagonal[i])) {
        throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
            "PivotedCholesky.factor: argument 'diagonal' has entry " + diagonal[i] + " at " + i
                + " (must be finite and non-negative for a PSD matrix).", "Pass the diagonal of a PSD matrix.");
      }
    }
    return factorColumns(n, j -> {
      double[] c = column.apply(j);
      if (c == null || c.length != n) {
        throw Checks.mismatch("PivotedCholesky.factor: column " + j + " has " + (c == null ? "no" : c.length)
            + " entries, n = " + n + ".", "Return a new array of length n from the column function.");
      }
      for (int i = 0; i < n; i++) {
        if (!Double.isFinite(c[i])) {
          throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_INPUT,
              "PivotedCholesky.factor: column " + j + " has a non-finite value " + c[i] + " at row " + i + ".",
              "Check the kernel or matrix function for overflow.");
        }
      }
      return c;
    }, diagonal, dtype);
  }

  /** Supplies column j of a symmetric PSD matrix. */
  @FunctionalInterface
  interface ColumnSource {
    double[] column(int j);
  }

  PivotedCholeskyResult factorColumns(int n, ColumnSource source, double[] diag, DType dtype) {
    int kmax = options.maxRank() == 0 ? n : options.maxRank();
    double trace = 0;
    for (double v : diag) {
      trace += v;
    }
    double[] d = diag.clone();
    // L stored column by column (column k is contiguous), n per column.
    double[] l = new double[Math.multiplyExact(n, kmax)];
    int[] piv = new int[kmax];
    int k = 0;
    double residual = trace;
    while (k < kmax) {
      if (residual <= options.traceTolerance() * trace && k > 0) {
        break;
      }
      int p = 0;
      for (int i = 1; i < n; i++) {
        if (d[i] > d[p]) {
          p = i;
        }
      }
      if (!(d[p] > 0)) {
        break;
      }
      double[] col = source.column(p);
      int lk = k * n;
      for (int q = 0; q < k; q++) {
        double lpq = l[q * n + p];
        if (lpq != 0) {
          int lq = q * n;
          for (int i = 0; i < n; i++) {
            col[i] -= l[lq + i] * lpq;
          }
        }
      }
      double s = Math.sqrt(d[p]);
      for (int i = 0; i < n; i++) {
        l[lk + i] = col[i] / s;
      }
      // Selected rows are exactly interpolated; pin their residual to zero against rounding.
      for (int q = 0; q < k; q++) {
        l[lk + piv[q]] = 0;
      }
      l[lk + p] = s;
      piv[k] = p;
      residual = 0;
      for (int i = 0; i < n; i++) {
        d[i] -= l[lk + i] * l[lk + i];
        if (d[i] < 0) {
          d[i] = 0;
        }
        residual += d[i];
      }
      d[p] = 0;
      k++;
    }
    Matrix lm = Matrix.zeros(dtype, n, k);
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < n; i++) {
        lm.set(i, j, l[j * n + i]);
      }
    }
    double[] lRaw = java.util.Arrays.copyOf(l, k * n);
    return new PivotedCholeskyResult(java.util.Arrays.copyOf(piv, k), lm, residual, trace, lRaw);
  }
}
