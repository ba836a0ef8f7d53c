package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

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
 * <p><b>Cost.</b> A pivoted QR of A (4mnk), one of C (4mk²), a QR of Rᵀ (2nk²). Memory O((m+n)k).
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
    InterpolativeDecompositionOptions o = new InterpolativeDecompositionOptions(k, 0, SketchKind.NONE, 0, 0,
        options.blockSize());
    InterpolativeDecomposition id = new InterpolativeDecomposition(compute, o);
    InterpolativeDecompositionResult col = id.columnId(a);
    Matrix c = col.skeletonOf(a);
    InterpolativeDecompositionResult row = id.rowId(c);
    int[] rows = row.skeleton();
    Matrix r = Matrix.zeros(a.dtype(), k, a.cols());
    for (int p = 0; p < k; p++) {
      r.row(p).copyFrom(a.row(rows[p]));
    }
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
    return new CurResult(col.skeleton(), rows, c, u.dtype() == a.dtype() ? u : u.toDType(a.dtype()), r);
  }
}
