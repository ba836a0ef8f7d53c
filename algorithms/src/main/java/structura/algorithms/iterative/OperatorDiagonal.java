package structura.algorithms.iterative;

import structura.api.Matrix;
import structura.api.operator.DenseOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.LinearOperator;

/** The diagonal of a square operator, read directly where the structure allows. */
final class OperatorDiagonal {
  private static final int PROBE_BLOCK = 64;

  private OperatorDiagonal() {}

  /**
   * diag(A). Dense and diagonal operators are read in O(n); any other operator is applied to the
   * identity in blocks of 64 columns, which costs n matrix-vector products and O(64·n) memory.
   */
  static double[] of(LinearOperator a) {
    int n = a.rows();
    double[] d = new double[n];
    if (a instanceof DiagonalOperator diag) {
      return diag.diagonal();
    }
    if (a instanceof DenseOperator dense) {
      Matrix m = dense.matrix();
      for (int i = 0; i < n; i++) {
        d[i] = m.get(i, i);
      }
      return d;
    }
    for (int j0 = 0; j0 < n; j0 += PROBE_BLOCK) {
      int w = Math.min(PROBE_BLOCK, n - j0);
      Matrix e = Matrix.zeros(a.dtype(), n, w);
      for (int j = 0; j < w; j++) {
        e.set(j0 + j, j, 1);
      }
      Matrix ae = a.apply(e);
      for (int j = 0; j < w; j++) {
        d[j0 + j] = ae.get(j0 + j, j);
      }
    }
    return d;
  }

  /** Whether {@link #of} reads the diagonal without products. */
  static boolean isDirect(LinearOperator a) {
    return a instanceof DiagonalOperator || a instanceof DenseOperator;
  }
}
