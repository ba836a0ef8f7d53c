package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;

/**
 * Interpolative decomposition (ID): column ID A ≈ A(:, J)·T and row ID A ≈ X·A(J, :), by rank or
 * by relative tolerance, deterministic or sketched.
 *
 * <p><b>Method.</b> A truncated column-pivoted QR A(:, P) ≈ Q·[R11 R12] ({@link PivotedQr}) gives
 * J = P(0:k) and T(:, P) = [I, R11⁻¹·R12], so A(:, P(k:)) ≈ A(:, J)·R11⁻¹R12 with error ‖R22‖.
 * R11⁻¹R12 comes from a back-substitution (k²(n−k) flops) guarded for ill-conditioned R11:
 * diagonal entries with |R(i,i)| ≤ 10·max(m,n)·u·|R(0,0)| are treated as zero and their unknowns
 * set to zero (the basic solution of the truncated system), which keeps T bounded when k exceeds
 * the numerical rank; stopping by tolerance truncates before that happens. The row ID is the column
 * ID of Aᵀ. With a sketch (Gaussian, CountSketch, SRHT; {@link SketchKind}) the pivoted QR runs on
 * Y = S·A (s = k + oversampling rows), and J, T from Y are used for A, which is accurate when the
 * sketch preserves A's row space (randomized ID).
 *
 * <p><b>Source.</b> H. Cheng, Z. Gimbutas, P.-G. Martinsson and V. Rokhlin, "On the compression of
 * low rank matrices", SIAM J. Sci. Comput. 26(4), 2005 (ID via pivoted QR, §3); E. Liberty, F.
 * Woolfe, P.-G. Martinsson, V. Rokhlin and M. Tygert, "Randomized algorithms for the low-rank
 * approximation of matrices", PNAS 104(51), 2007 (sketched ID); N. Halko, P.-G. Martinsson and
 * J. A. Tropp, "Finding structure with randomness", SIAM Review 53(2), 2011, §5.2; J. Chee et al.,
 * "Model preserving compression for neural networks", NeurIPS 2022 (the pruning use: getID).
 *
 * <p><b>Cost.</b> Deterministic: pivoted QR, about 4mnk flops, plus k²(n−k). Sketched: the sketch
 * (Gaussian 2smn, CountSketch mn, SRHT mn·log m) plus a pivoted QR of s×n. Memory: a double copy
 * of A (or of the sketch) and T.
 *
 * <p><b>Deviations.</b> The reference code (Chee et al.) uses pinv(R11); we use the guarded
 * triangular solve, which matches pinv when R11 is well conditioned. F32 inputs are factored in
 * double; T is returned in F32.
 */
public final class InterpolativeDecomposition {
  private final Compute compute;
  private final InterpolativeDecompositionOptions options;

  /**
   * @param compute backend for the level-3 work (QR updates, Gaussian sketch)
   * @param options rank or tolerance, sketch, seed
   */
  public InterpolativeDecomposition(Compute compute, InterpolativeDecompositionOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }


  /**
   * Column ID: A ≈ A(:, J)·T.
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} if {@code a} is empty,
   *     holds NaN/Inf, or the rank exceeds min(m, n)
   */
  public InterpolativeDecompositionResult columnId(Matrix a) {
    Checks.input("InterpolativeDecomposition.columnId", "a", a);
    Checks.rank("InterpolativeDecomposition.columnId", "rank", options.rank(), Math.min(a.rows(), a.cols()), true);
    PivotedQrFactorization f = pivot(a);
    return fromFactorization(f, Math.max(a.rows(), a.cols()), InterpolativeDecompositionResult.Kind.COLUMN);
  }

  /**
   * Row ID: A ≈ X·A(J, :), computed as the column ID of Aᵀ.
   *
   * @throws structura.api.InvalidArgumentException as {@link #columnId}
   */
  public InterpolativeDecompositionResult rowId(Matrix a) {
    Checks.input("InterpolativeDecomposition.rowId", "a", a);
    Checks.rank("InterpolativeDecomposition.rowId", "rank", options.rank(), Math.min(a.rows(), a.cols()), true);
    PivotedQrFactorization f;
    if (options.sketch() == SketchKind.NONE) {
      double[] w = Householder.transposeToColumnMajor(a);
      f = PivotedQr.factorColumnMajor(compute, qrOptions(Math.min(a.rows(), a.cols())), w, a.cols(), a.rows(), a.dtype());
    } else {
      f = pivot(a.transposeCopy());
    }
    return fromFactorization(f, Math.max(a.rows(), a.cols()), InterpolativeDecompositionResult.Kind.ROW);
  }

  /**
   * Column ID of an operator from products alone: A ≈ A(:, J)·T with J and T read off the pivoted
   * QR of the sketch Y = S·A (s = k + oversampling rows), formed as one product
   * (Aᵀ·Sᵀ)ᵀ of s vectors. The operator is never densified; when s ≥ m the "sketch" is
   * A itself, taken as the m products Aᵀ·I (m×n, small since m ≤ s). The skeleton columns are
   * {@code a.apply} of the unit vectors e_J. On {@code Operators.dense(m, compute)} the result
   * equals {@link #columnId(Matrix)}'s up to rounding (same random numbers).
   *
   * <p>Cost: one product with Aᵀ on s vectors, the sketch matrix (s·m; SRHT s·m as well, formed
   * entrywise), a pivoted QR of s×n (about 4snk flops). Memory O(s·(m + n)).
   *
   * @throws structura.api.InvalidArgumentException {@code STRUCTURA-A006} for an empty operator or
   *     a rank above min(m, n), a sketch that is not finite; {@code STRUCTURA-A001} when the
   *     options have no sketch (a deterministic ID reads every entry: pass {@code a.toDense()} to
   *     {@link #columnId(Matrix)} if that is meant)
   */
  public InterpolativeDecompositionResult columnId(LinearOperator a) {
    Objects.requireNonNull(a, "a");
    String method = "InterpolativeDecomposition.columnId";
    Checks.nonEmpty(method, "a", a.rows(), a.cols());
    Checks.rank(method, "rank", options.rank(), Math.min(a.rows(), a.cols()), true);
    if (options.sketch() == SketchKind.NONE) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": an operator is read through products only, so the ID needs a sketch, but options.sketch()"
              + " is NONE.",
          "Use InterpolativeDecompositionOptions.sketched(rank, SketchKind.GAUSSIAN, 10, seed), or pass"
              + " a.toDense() to columnId(Matrix) for a deterministic ID.");
    }
    int m = a.rows();
    int n = a.cols();
    int s = options.rank() + options.oversampling();
    Matrix y = s >= m ? a.applyTranspose(Matrix.identity(a.dtype(), m)).transposeCopy().toDType(DType.F64)
        : Sketches.apply(options.sketch(), a, s, options.seed());
    Checks.finite(method, "S·a", y);
    int rows = Math.min(s, m);
    double[] w = Householder.toColumnMajor(y);
    PivotedQrFactorization f = PivotedQr.factorColumnMajor(compute, qrOptions(Math.min(rows, n)), w, rows, n, a.dtype());
    return fromFactorization(f, Math.max(m, n), InterpolativeDecompositionResult.Kind.COLUMN);
  }

  /**
   * Row ID of an operator from products alone: A ≈ X·A(J, :), the column ID of Aᵀ (so the sketch
   * is one product A·Sᵀ). Same requirements and costs as {@link #columnId(LinearOperator)} with m
   * and n swapped.
   *
   * @throws structura.api.InvalidArgumentException as {@link #columnId(LinearOperator)}
   */
  public InterpolativeDecompositionResult rowId(LinearOperator a) {
    Objects.requireNonNull(a, "a");
    InterpolativeDecompositionResult transposed = columnId(a.transpose());
    return new InterpolativeDecompositionResult(InterpolativeDecompositionResult.Kind.ROW, transposed.skeleton(),
        transposed.interpolation().transposeCopy(), transposed.rDiagonal(), transposed.guardedPivots());
  }

  private PivotedQrOptions qrOptions(int minmn) {
    return new PivotedQrOptions(Math.min(options.rank(), minmn), options.relativeTolerance(), options.blockSize());
  }

  private PivotedQrFactorization pivot(Matrix a) {
    int m = a.rows();
    int n = a.cols();
    if (options.sketch() == SketchKind.NONE || options.rank() + options.oversampling() >= m) {
      double[] w = Householder.toColumnMajor(a);
      return PivotedQr.factorColumnMajor(compute, qrOptions(Math.min(m, n)), w, m, n, a.dtype());
    }
    int s = options.rank() + options.oversampling();
    Matrix y = Sketches.apply(compute, options.sketch(), a, s, options.seed());
    double[] w = Householder.toColumnMajor(y);
    return PivotedQr.factorColumnMajor(compute, qrOptions(Math.min(s, n)), w, s, n, a.dtype());
  }

  /**
   * The column ID read off an existing truncated pivoted QR (from {@link PivotedQr} or
   * {@link RandomizedPivotedQr}): J = P(0:k), T(:, P) = [I, R11⁻¹R12].
   */
  public static InterpolativeDecompositionResult fromPivotedQr(PivotedQrFactorization f) {
    Objects.requireNonNull(f, "f");
    return fromFactorization(f, Math.max(f.rows(), f.cols()), InterpolativeDecompositionResult.Kind.COLUMN);
  }

  /**
   * The ID read off a truncated pivoted QR: J = P(0:k), T(:, P) = [I, R11⁻¹R12].
   *
   * @param maxDim max(m, n) of the original matrix, scaling the solve guard
   */
  static InterpolativeDecompositionResult fromFactorization(PivotedQrFactorization f, int maxDim,
      InterpolativeDecompositionResult.Kind kind) {
    int k = f.rank();
    int n = f.cols();
    int[] piv = f.pivotsRef();
    int[] guarded = new int[1];
    double[] x = f.solveR11R12(10.0 * maxDim * Math.ulp(1.0) / 2, guarded);
    DType dtype = f.dtype();
    // T is k×n (column ID); the row ID returns X = Tᵀ, m×k.
    boolean row = kind == InterpolativeDecompositionResult.Kind.ROW;
    Matrix t = row ? Matrix.zeros(dtype, n, k) : Matrix.zeros(dtype, k, n);
    for (int i = 0; i < k; i++) {
      set(t, row, i, piv[i], 1.0);
    }
    for (int j = 0; j < n - k; j++) {
      int col = piv[k + j];
      for (int i = 0; i < k; i++) {
        set(t, row, i, col, x[j * k + i]);
      }
    }
    int[] skeleton = java.util.Arrays.copyOf(piv, k);
    return new InterpolativeDecompositionResult(kind, skeleton, t, f.rDiagonalAbs(), guarded[0]);
  }

  private static void set(Matrix t, boolean transposed, int i, int j, double v) {
    if (transposed) {
      t.set(j, i, v);
    } else {
      t.set(i, j, v);
    }
  }
}
