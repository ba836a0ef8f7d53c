package structura.algorithms.linalg;

import java.util.Objects;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Explicit inverse of a lower-triangular matrix, L⁻¹, by recursive 2×2 blocking.
 *
 * <p><b>Method.</b> With L = [L11 0; L21 L22] (L11 of order ⌊n/2⌋), L⁻¹ = [L11⁻¹ 0; −L22⁻¹·L21·L11⁻¹
 * L22⁻¹]: both diagonal blocks are inverted recursively in place and L21 is replaced by two backend
 * GEMMs. Blocks of order 64 or less are inverted by forward substitution, column by column. This
 * is LAPACK's dtrtri in its recursive form (Elmroth, Gustavson, Jonsson and Kågström, "Recursive
 * blocked algorithms and hybrid data structures for dense matrix library software", SIAM Review
 * 46(1), 2004).
 *
 * <p><b>Cost.</b> n³/3 flops, about all of them in GEMMs for n ≫ 64. Memory: the result and two
 * n/2×n/2 temporaries per level.
 *
 * <p><b>Accuracy.</b> Forward error about κ(L)·u in norm (Higham, <i>Accuracy and Stability of
 * Numerical Algorithms</i>, 2nd ed., §14.2). Whitening and CholeskyQR need the explicit inverse to
 * apply it with GEMMs; a single solve is more accurate with a triangular solve.
 *
 * <p><b>Deviations.</b> The diagonal is not checked for zeros: a singular L gives infinite entries,
 * as dtrtri reports in its info value.
 */
public final class TriangularInverse {
  private static final int BASE = 64;
  private final Compute compute;

  /** @param compute backend for the GEMMs of the recursion */
  public TriangularInverse(Compute compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /**
   * L⁻¹ for a square lower-triangular {@code l} (only its lower triangle, diagonal included, is
   * read). Not modified: l.
   *
   * @return a new n×n F64 matrix: L⁻¹ in the lower triangle; the strict upper triangle is a copy
   *     of l's
   */
  public Matrix lower(Matrix l) {
    Objects.requireNonNull(l, "l");
    Checks.square("TriangularInverse.lower", "l", l);
    Matrix a = l.toDType(DType.F64);
    invert(a, 0, a.rows());
    return a;
  }

  private void invert(Matrix a, int off, int n) {
    if (n <= BASE) {
      // Forward substitution, column by column, in place on the lower triangle.
      for (int j = off; j < off + n; j++) {
        double djj = 1 / a.get(j, j);
        a.set(j, j, djj);
        for (int i = j + 1; i < off + n; i++) {
          double s = 0;
          for (int t = j; t < i; t++) {
            s += a.get(i, t) * a.get(t, j);
          }
          a.set(i, j, -s / a.get(i, i));
        }
      }
      return;
    }
    int n1 = n / 2;
    int n2 = n - n1;
    invert(a, off, n1);
    invert(a, off + n1, n2);
    Matrix l21 = a.view(off + n1, off, n2, n1);
    Matrix tmp = Matrix.zeros(DType.F64, n2, n1);
    Matrix l11inv = lowerOnly(a.view(off, off, n1, n1));
    Matrix l22inv = lowerOnly(a.view(off + n1, off + n1, n2, n2));
    compute.gemm(Transpose.N, Transpose.N, 1.0, l21, l11inv, 0.0, tmp);
    compute.gemm(Transpose.N, Transpose.N, -1.0, l22inv, tmp, 0.0, l21);
  }

  private static Matrix lowerOnly(Matrix v) {
    Matrix out = Matrix.zeros(DType.F64, v.rows(), v.cols());
    for (int i = 0; i < v.rows(); i++) {
      for (int j = 0; j <= i && j < v.cols(); j++) {
        out.set(i, j, v.get(i, j));
      }
    }
    return out;
  }
}
