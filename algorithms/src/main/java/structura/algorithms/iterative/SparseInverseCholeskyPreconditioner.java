package structura.algorithms.iterative;

import java.util.Objects;
import java.util.stream.IntStream;
import structura.algorithms.linalg.NumericalFailureException;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;

/**
 * Sparse factor of the inverse: P⁻¹ = U·Uᵀ ≈ A⁻¹ for a symmetric positive definite A whose
 * entries are cheap to evaluate, with U sparse and upper triangular in an elimination ordering.
 * Column i of U lives on a conditioning set S_i = {i} ∪ (earlier indices, usually the nearest
 * earlier points) and is the Kullback–Leibler-optimal (Vecchia) column
 *
 * <pre>  U[S_i, i] = A[S_i, S_i]⁻¹·e₁ / √(e₁ᵀ·A[S_i, S_i]⁻¹·e₁)</pre>
 *
 * (e₁ selects i, the first entry of S_i). When every S_i holds all earlier indices, U is exactly
 * L⁻ᵀ for the Cholesky factor A = L·Lᵀ taken in that ordering, so P = A; with m earlier
 * neighbours it is the best such factor with that sparsity in KL divergence. U has a positive
 * diagonal, so P is symmetric positive definite whatever the sets.
 *
 * <p><b>Why.</b> For a spatially local kernel (Matérn with a lengthscale of a few point spacings)
 * and a small noise, K + σ²I has almost as many eigenvalues above σ² as it has rows, so no
 * low-rank preconditioner (pivoted Cholesky, Nyström) can capture it; block Jacobi misses the
 * coupling between blocks. The screening effect makes A⁻¹'s Cholesky factor nearly sparse in a
 * random or maximin ordering, which this factor exploits (measured in docs/iterative.md).
 *
 * <p><b>Source.</b> Vecchia, "Estimation and model identification for continuous spatial
 * processes" (JRSS-B 1988); Schäfer, Katzfuss and Owhadi, "Sparse Cholesky factorization by
 * Kullback–Leibler minimization" (SIAM J. Sci. Comput. 2021), Theorem 2.1. Here A already
 * includes the noise (their "response" variant), which keeps P positive definite.
 *
 * <p><b>Cost.</b> Set-up: Σ|S_i|² entries of A and Σ|S_i|³/3 flops for the small Cholesky
 * factors, parallel over columns. P⁻¹ on an n×k block: 2·k·Σ|S_i| multiply-adds; P itself (for
 * {@link #operator()}): two sparse triangular solves, the same count. Memory: Σ|S_i| doubles and
 * ints.
 */
public final class SparseInverseCholeskyPreconditioner implements Preconditioner {
  /** The entries A(i, j) of the symmetric positive definite matrix to precondition. */
  @FunctionalInterface
  public interface Entries {
    /** A(i, j) = A(j, i). */
    double at(int i, int j);
  }

  private final int n;
  private final int[] order;        // order[t] = index eliminated t-th
  private final int[][] support;    // support[i] = S_i, i first
  private final double[][] values;  // values[i][q] = U[S_i[q], i]
  private final double logDet;

  private SparseInverseCholeskyPreconditioner(int[] order, int[][] support, double[][] values) {
    this.n = order.length;
    this.order = order;
    this.support = support;
    this.values = values;
    double s = 0;
    for (double[] v : values) {
      s -= 2 * Math.log(v[0]);
    }
    this.logDet = s;
  }

  /**
   * Builds U from the conditioning sets.
   *
   * @param order the elimination ordering, a permutation of 0..n−1 (copied)
   * @param conditioning conditioning[i] = the indices that column i may use besides i itself; each
   *     must come before i in {@code order} (not modified)
   * @param a the entries of A (called Σ(|S_i|² + |S_i|)/2 times, from several threads)
   * @throws InvalidArgumentException if {@code order} is not a permutation or a set holds i, a
   *     repeated index or an index eliminated after i
   * @throws NumericalFailureException if some A[S_i, S_i] is not numerically positive definite
   */
  public static SparseInverseCholeskyPreconditioner of(int[] order, int[][] conditioning, Entries a) {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(conditioning, "conditioning");
    Objects.requireNonNull(a, "a");
    int n = order.length;
    IterativeChecks.atLeast("SparseInverseCholeskyPreconditioner", "n", n, 1);
    if (conditioning.length != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "SparseInverseCholeskyPreconditioner: " + conditioning.length
          + " conditioning sets for an ordering of " + n + " indices.", "Pass one set per index.");
    }
    int[] rank = new int[n];
    java.util.Arrays.fill(rank, -1);
    for (int t = 0; t < n; t++) {
      int i = order[t];
      if (i < 0 || i >= n || rank[i] >= 0) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "SparseInverseCholeskyPreconditioner: order is not a permutation of 0.." + (n - 1) + " (entry " + t + " is " + i + ").",
            "Pass each index exactly once.");
      }
      rank[i] = t;
    }
    int[][] support = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] c = Objects.requireNonNull(conditioning[i], "conditioning set");
      int[] s = new int[c.length + 1];
      s[0] = i;
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int q = 0; q < c.length; q++) {
        int j = c[q];
        if (j < 0 || j >= n || rank[j] >= rank[i] || !seen.add(j)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "SparseInverseCholeskyPreconditioner: the conditioning set of "
              + i + " holds " + j + ", which is out of range, repeated, or not eliminated before " + i + ".",
              "Condition each index on distinct indices that come earlier in the ordering.");
        }
        s[q + 1] = j;
      }
      support[i] = s;
    }
    double[][] values = new double[n][];
    IntStream.range(0, n).parallel().forEach(i -> values[i] = column(support[i], a));
    return new SparseInverseCholeskyPreconditioner(order.clone(), support, values);
  }

  /** A[S,S]⁻¹e₁/√(e₁ᵀA[S,S]⁻¹e₁) by a dense Cholesky factor of the small block. */
  private static double[] column(int[] s, Entries a) {
    int m = s.length;
    double[] l = new double[m * m];
    for (int p = 0; p < m; p++) {
      for (int q = 0; q <= p; q++) {
        l[p * m + q] = a.at(s[p], s[q]);
      }
    }
    for (int j = 0; j < m; j++) {  // in place, lower triangle, row-major
      double d = l[j * m + j];
      for (int q = 0; q < j; q++) {
        d -= l[j * m + q] * l[j * m + q];
      }
      if (!(d > 0)) {
        throw new NumericalFailureException("SparseInverseCholeskyPreconditioner: the block of A on the conditioning set of " + s[0]
            + " is not positive definite (pivot " + d + " at position " + j + ").",
            "Check that A is positive definite; for a kernel matrix add a noise term (duplicated points make K singular).");
      }
      d = Math.sqrt(d);
      l[j * m + j] = d;
      for (int p = j + 1; p < m; p++) {
        double v = l[p * m + j];
        for (int q = 0; q < j; q++) {
          v -= l[p * m + q] * l[j * m + q];
        }
        l[p * m + j] = v / d;
      }
    }
    // x = A[S,S]⁻¹e₁: forward solve L·w = e₁, then Lᵀx = w.
    double[] x = new double[m];
    x[0] = 1 / l[0];
    for (int p = 1; p < m; p++) {
      double v = 0;
      for (int q = 0; q < p; q++) {
        v -= l[p * m + q] * x[q];
      }
      x[p] = v / l[p * m + p];
    }
    for (int p = m - 1; p >= 0; p--) {
      double v = x[p];
      for (int q = p + 1; q < m; q++) {
        v -= l[q * m + p] * x[q];
      }
      x[p] = v / l[p * m + p];
    }
    double scale = 1 / Math.sqrt(x[0]);  // e₁ᵀA⁻¹e₁ = x[0] > 0
    for (int p = 0; p < m; p++) {
      x[p] *= scale;
    }
    return x;
  }

  /** The number of stored entries of U, Σ|S_i|. */
  public long nonZeros() {
    long s = 0;
    for (int[] c : support) {
      s += c.length;
    }
    return s;
  }

  @Override
  public int size() {
    return n;
  }

  /** P⁻¹·R = U·(Uᵀ·R). */
  @Override
  public Matrix applyInverse(Matrix r) {
    return multiplyU(multiplyUt(r));
  }

  /** Uᵀ·R (n×k, new). */
  Matrix multiplyUt(Matrix r) {
    check(r);
    int k = r.cols();
    Matrix out = Matrix.zeros(DType.F64, n, k);
    IntStream.range(0, n).parallel().forEach(i -> {
      int[] s = support[i];
      double[] v = values[i];
      for (int c = 0; c < k; c++) {
        double acc = 0;
        for (int q = 0; q < s.length; q++) {
          acc += v[q] * r.get(s[q], c);
        }
        out.set(i, c, acc);
      }
    });
    return out;
  }

  /** U·W (n×k, new): a scatter by columns of U, sequential (rows are shared between columns). */
  Matrix multiplyU(Matrix w) {
    check(w);
    int k = w.cols();
    Matrix out = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      int[] s = support[i];
      double[] v = values[i];
      for (int c = 0; c < k; c++) {
        double wi = w.get(i, c);
        for (int q = 0; q < s.length; q++) {
          out.set(s[q], c, out.get(s[q], c) + v[q] * wi);
        }
      }
    }
    return out;
  }

  /** U⁻¹·V: back substitution in reverse elimination order (U is upper triangular in that order). */
  private Matrix solveU(Matrix v) {
    check(v);
    Matrix x = v.toDType(DType.F64).copy();
    for (int t = n - 1; t >= 0; t--) {
      int i = order[t];
      int[] s = support[i];
      double[] u = values[i];
      for (int c = 0; c < x.cols(); c++) {
        double xi = x.get(i, c) / u[0];
        x.set(i, c, xi);
        for (int q = 1; q < s.length; q++) {
          x.set(s[q], c, x.get(s[q], c) - u[q] * xi);
        }
      }
    }
    return x;
  }

  /** U⁻ᵀ·V: forward substitution in elimination order. */
  private Matrix solveUt(Matrix v) {
    check(v);
    Matrix x = v.toDType(DType.F64).copy();
    for (int t = 0; t < n; t++) {
      int i = order[t];
      int[] s = support[i];
      double[] u = values[i];
      for (int c = 0; c < x.cols(); c++) {
        double acc = x.get(i, c);
        for (int q = 1; q < s.length; q++) {
          acc -= u[q] * x.get(s[q], c);
        }
        x.set(i, c, acc / u[0]);
      }
    }
    return x;
  }

  private void check(Matrix r) {
    if (r.rows() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "SparseInverseCholeskyPreconditioner: a block with " + r.rows() + " rows for n = " + n + ".", "Pass n×k blocks.");
    }
  }

  /** U as an operator: with it, Uᵀ·A·U is the symmetrically preconditioned A (spectrum of P⁻¹A). */
  public LinearOperator factor() {
    return new FactorOperator(false);
  }

  /** P = U⁻ᵀ·U⁻¹, applied by two sparse triangular solves. */
  @Override
  public LinearOperator operator() {
    return new LinearOperator() {
      @Override
      public int rows() {
        return n;
      }

      @Override
      public int cols() {
        return n;
      }

      @Override
      public DType dtype() {
        return DType.F64;
      }

      @Override
      public Matrix apply(Matrix v) {
        return solveUt(solveU(v));
      }

      @Override
      public Matrix applyTranspose(Matrix v) {
        return apply(v);
      }
    };
  }

  /** log|P| = −2·Σ log U_ii. */
  @Override
  public double logDeterminant() {
    return logDet;
  }

  private final class FactorOperator implements LinearOperator {
    private final boolean transposed;

    FactorOperator(boolean transposed) {
      this.transposed = transposed;
    }

    @Override
    public int rows() {
      return n;
    }

    @Override
    public int cols() {
      return n;
    }

    @Override
    public DType dtype() {
      return DType.F64;
    }

    @Override
    public Matrix apply(Matrix v) {
      return transposed ? multiplyUt(v) : multiplyU(v);
    }

    @Override
    public Matrix applyTranspose(Matrix v) {
      return transposed ? multiplyU(v) : multiplyUt(v);
    }

    @Override
    public LinearOperator transpose() {
      return new FactorOperator(!transposed);
    }
  }

  @Override
  public String toString() {
    return "SparseInverseCholeskyPreconditioner(n = " + n + ", nonzeros " + nonZeros() + ")";
  }
}
