package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;

/**
 * CUR decomposition A ≈ C·U·R from two interpolative decompositions.
 *
 * <p><b>Method.</b> Voronin and Martinsson's ID-based CUR: a column ID A ≈ C·T (C = A(:, J)); a
 * row ID of C gives the rows I; R = A(I, :) and U solves U·R = T in the least-squares sense
 * (U = T·R⁺, via Householder QR of Rᵀ). The error is within a modest factor of the column ID's.
 *
 * <p><b>Source.</b> S. Voronin and P.-G. Martinsson, "Efficient algorithms for CUR and
 * interpolative matrix decompositions", Adv. Comput. Math. 43, 2017, Alg. 2 (arXiv:1412.8447);
 * M. W. Mahoney and P. Drineas, "CUR matrix decompositions for improved data analysis", PNAS
 * 106(3), 2009.
 *
 * <p>With a sketch in the options the columns come from a sketched ID, and then an operator
 * input ({@link #decompose(LinearOperator)}) is read through three block products alone.
 *
 * <p><b>Cost.</b> A pivoted QR of A (4mnk; with a sketch, of the (k+p)×n sketch), one of C
 * (4mk²), a QR of Rᵀ (2nk²). Memory O((m+n)k).
 *
 * <p><b>Deviations.</b> None in the algorithm; F32 inputs are processed in double.
 */
public final class CurDecomposition {
  private final Compute compute;
  private final CurOptions options;

  /**
   * @param compute backend for the level-3 work
   * @param options rank and block size
   */
  public CurDecomposition(Compute compute, CurOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }


  /**
   * Decomposes {@code a}; C, U, R are in a's dtype.
   *
   * @throws NumericalFailureException when k exceeds the numerical rank so that R = A(I, :) is
   *     rank deficient
   */
  public CurResult decompose(Matrix a) {
    Checks.input("CurDecomposition.decompose", "a", a);
    int k = options.rank();
    Checks.rank("CurDecomposition.decompose", "rank", k, Math.min(a.rows(), a.cols()), false);
    InterpolativeDecompositionResult col = columnChooser().columnId(a);
    Matrix c = col.skeletonOf(a);
    int[] rows = rowChooser().rowId(c).skeleton();
    Matrix r = Matrix.zeros(a.dtype(), k, a.cols());
    for (int p = 0; p < k; p++) {
      r.row(p).copyFrom(a.row(rows[p]));
    }
    return fromSelection(col, c, rows, r, a.dtype());
  }

  /**
   * CUR of an operator from products alone: the columns J from a sketched column ID (one product
   * with Aᵀ on k + oversampling vectors), C = A·E_J (one product with k vectors), the rows I from
   * a row ID of the dense m×k C, R = (Aᵀ·E_I)ᵀ (one product with k vectors). The operator is
   * never densified. On {@code Operators.dense(m, compute)} it agrees with {@link #decompose(Matrix)}
   * under the same sketched options, up to rounding.
   *
   * @throws structura.api.InvalidArgumentException for an empty operator, a rank above min(m, n),
   *     non-finite products, or options without a sketch ({@code STRUCTURA-A001})
   * @throws NumericalFailureException as {@link #decompose(Matrix)}
   */
  public CurResult decompose(LinearOperator a) {
    Objects.requireNonNull(a, "a");
    String method = "CurDecomposition.decompose";
    Checks.nonEmpty(method, "a", a.rows(), a.cols());
    int k = options.rank();
    Checks.rank(method, "rank", k, Math.min(a.rows(), a.cols()), false);
    if (options.sketch() == SketchKind.NONE) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          method + ": an operator is read through products only, so the column choice needs a sketch, but"
              + " options.sketch() is NONE.",
          "Use CurOptions.sketched(rank, SketchKind.GAUSSIAN, 10, seed), or pass a.toDense() to decompose(Matrix).");
    }
    InterpolativeDecompositionResult col = columnChooser().columnId(a);
    Matrix c = a.apply(UnitVectors.columns(a.dtype(), a.cols(), col.skeleton()));
    Checks.finite(method, "a·E_J", c);
    int[] rows = rowChooser().rowId(c).skeleton();
    Matrix r = a.applyTranspose(UnitVectors.columns(a.dtype(), a.rows(), rows)).transposeCopy();
    Checks.finite(method, "E_Iᵀ·a", r);
    return fromSelection(col, c, rows, r, a.dtype());
  }

  /** The column ID that chooses J: deterministic or sketched as the options say. */
  private InterpolativeDecomposition columnChooser() {
    return new InterpolativeDecomposition(compute, new InterpolativeDecompositionOptions(options.rank(), 0,
        options.sketch(), options.oversampling(), options.seed(), options.blockSize()));
  }

  /** The row ID of the m×k C that chooses I: always deterministic (C is small). */
  private InterpolativeDecomposition rowChooser() {
    return new InterpolativeDecomposition(compute,
        new InterpolativeDecompositionOptions(options.rank(), 0, SketchKind.NONE, 0, 0, options.blockSize()));
  }

  /** U from U·R = T, and the result in {@code dtype}. */
  private CurResult fromSelection(InterpolativeDecompositionResult col, Matrix c, int[] rows, Matrix r, DType dtype) {
    int k = options.rank();
    // U·R = T  ⇔  Rᵀ·Uᵀ = Tᵀ (n×k least squares).
    Matrix rt = r.toDType(DType.F64).transposeCopy();
    Matrix tt = col.interpolation().toDType(DType.F64).transposeCopy();
    Matrix ut;
    try {
      ut = new HouseholderQr(compute, new HouseholderQrOptions(options.blockSize())).factor(rt).solve(tt);
    } catch (NumericalFailureException e) {
      throw new NumericalFailureException("CurDecomposition: the selected rows R = A(I, :) are numerically rank deficient"
          + " at rank " + k + ".", "Lower the rank to the numerical rank (InterpolativeDecompositionOptions.ofTolerance"
          + " shows it).");
    }
    Matrix u = ut.transposeCopy();
    return new CurResult(col.skeleton(), rows, c, u.dtype() == dtype ? u : u.toDType(dtype), r);
  }
}
