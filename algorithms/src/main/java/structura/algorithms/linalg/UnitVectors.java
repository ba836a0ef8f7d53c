package structura.algorithms.linalg;

import structura.api.DType;
import structura.api.Matrix;

/** Blocks of unit vectors, through which an operator's columns and rows are read; package-private. */
final class UnitVectors {
  private UnitVectors() {}

  /** The n×|j| matrix [e_{j_0}, e_{j_1}, …] in {@code dtype}: A·E_J = A(:, J), (Aᵀ·E_J)ᵀ = A(J, :). */
  static Matrix columns(DType dtype, int n, int[] j) {
    Matrix e = Matrix.zeros(dtype, n, j.length);
    for (int q = 0; q < j.length; q++) {
      e.set(j[q], q, 1);
    }
    return e;
  }
}
