package structura.algorithms.linalg;

import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * An interpolative decomposition. Column ID: A ≈ A(:, J)·T with T k×n and T(:, J) = I. Row ID:
 * A ≈ X·A(J, :) with X m×k and X(J, :) = I. J = {@link #skeleton()} in pivot order.
 */
public final class InterpolativeDecompositionResult {
  /** Which side was selected. */
  public enum Kind {
    /** Columns selected: A ≈ A(:, J)·T. */
    COLUMN,
    /** Rows selected: A ≈ X·A(J, :). */
    ROW
  }

  private final Kind kind;
  private final int[] skeleton;
  private final Matrix interpolation;
  private final double[] rDiagonal;
  private final int guardedPivots;

  InterpolativeDecompositionResult(Kind kind, int[] skeleton, Matrix interpolation, double[] rDiagonal,
      int guardedPivots) {
    this.kind = kind;
    this.skeleton = skeleton;
    this.interpolation = interpolation;
    this.rDiagonal = rDiagonal;
    this.guardedPivots = guardedPivots;
  }

  /** Column or row ID. */
  public Kind kind() {
    return kind;
  }

  /** The rank k. */
  public int rank() {
    return skeleton.length;
  }

  /** Indices J of the selected columns (column ID) or rows (row ID), in pivot order. */
  public int[] skeleton() {
    return skeleton.clone();
  }

  /** T (k×n, column ID) or X (m×k, row ID), in the input dtype. A copy. */
  public Matrix interpolation() {
    return interpolation.copy();
  }

  /**
   * |R(i,i)| of the pivoted QR that chose the skeleton (of the sketch, when sketched), i &lt; k.
   * |R(k−1,k−1)|/|R(0,0)| is the usual cheap error indicator.
   */
  public double[] rDiagonal() {
    return rDiagonal.clone();
  }

  /**
   * How many diagonal entries of R11 the guarded triangular solve treated as zero (0 unless k
   * exceeds the numerical rank).
   */
  public int guardedPivots() {
    return guardedPivots;
  }

  /** The skeleton A(:, J) (column ID) or A(J, :) (row ID) of {@code a}, as a new matrix. */
  public Matrix skeletonOf(Matrix a) {
    int k = skeleton.length;
    if (kind == Kind.COLUMN) {
      Matrix c = Matrix.zeros(a.dtype(), a.rows(), k);
      for (int p = 0; p < k; p++) {
        c.view(0, p, a.rows(), 1).copyFrom(a.column(skeleton[p]));
      }
      return c;
    }
    Matrix r = Matrix.zeros(a.dtype(), k, a.cols());
    for (int p = 0; p < k; p++) {
      r.row(p).copyFrom(a.row(skeleton[p]));
    }
    return r;
  }

  /** The approximation A(:, J)·T or X·A(J, :) of {@code a}, through {@code compute}. */
  public Matrix reconstruct(Compute compute, Matrix a) {
    Matrix s = skeletonOf(a);
    Matrix t = interpolation.dtype() == a.dtype() ? interpolation : interpolation.toDType(a.dtype());
    return kind == Kind.COLUMN
        ? compute.multiply(Transpose.N, s, Transpose.N, t)
        : compute.multiply(Transpose.N, t, Transpose.N, s);
  }
}
