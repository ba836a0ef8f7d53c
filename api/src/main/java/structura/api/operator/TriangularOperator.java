package structura.api.operator;

import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;

/**
 * An n×n lower or upper triangular matrix T, dense-backed, optionally with an implicit unit
 * diagonal (the stored diagonal is then ignored and read as ones, as LAPACK's {@code diag='U'}).
 *
 * <p>Only the triangle is kept: the constructor copies it into a compact matrix with the other
 * triangle zeroed, so later changes to the caller's matrix do not leak in. {@code apply} is the
 * triangular product: n(n+1)/2·k multiply-adds accumulated in double, never touching the zero
 * triangle. Solves with T (forward or back substitution) live in
 * {@code structura.algorithms.structured}; the transpose is the opposite triangle.
 */
public final class TriangularOperator implements LinearOperator {
  private final Matrix triangle;
  private final boolean lower;
  private final boolean unitDiagonal;

  TriangularOperator(Matrix source, boolean lower, boolean unitDiagonal) {
    int n = source.rows();
    this.triangle = Matrix.zeros(source.dtype(), n, n);
    for (int i = 0; i < n; i++) {
      int from = lower ? 0 : i;
      int to = lower ? i : n - 1;
      for (int j = from; j <= to; j++) {
        triangle.set(i, j, i == j && unitDiagonal ? 1 : source.get(i, j));
      }
    }
    this.lower = lower;
    this.unitDiagonal = unitDiagonal;
  }

  /** True for lower triangular (zeros above the diagonal), false for upper. */
  public boolean lower() {
    return lower;
  }

  /** True when the diagonal is implicitly all ones. */
  public boolean unitDiagonal() {
    return unitDiagonal;
  }

  /** A copy of T with the zero triangle filled in (and ones on the diagonal when unit). */
  public Matrix matrix() {
    return triangle.copy();
  }

  /** T's diagonal entry (i, i): 1 when the diagonal is unit. */
  public double diagonalEntry(int i) {
    return triangle.get(i, i);
  }

  @Override
  public int rows() {
    return triangle.rows();
  }

  @Override
  public int cols() {
    return triangle.rows();
  }

  @Override
  public DType dtype() {
    return triangle.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    return multiply(x, false);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return multiply(y, true);
  }

  /** op(T)·x over the triangle only; the entry (i, j) of op(T) is T(j, i) when transposed. */
  private Matrix multiply(Matrix x, boolean transpose) {
    int n = rows();
    int k = x.cols();
    double[] acc = new double[n * k];
    for (int i = 0; i < n; i++) {
      boolean lowerOp = lower != transpose;
      int from = lowerOp ? 0 : i;
      int to = lowerOp ? i : n - 1;
      for (int j = from; j <= to; j++) {
        double t = transpose ? triangle.get(j, i) : triangle.get(i, j);
        if (t != 0) {
          for (int c = 0; c < k; c++) {
            acc[i * k + c] += t * x.get(j, c);
          }
        }
      }
    }
    Matrix out = Matrix.zeros(dtype(), n, k);
    out.copyFrom(Matrix.wrap(acc, n, k));
    return out;
  }

  @Override
  public LinearOperator transpose() {
    return new TriangularOperator(triangle.transposeCopy(), !lower, unitDiagonal);
  }

  @Override
  public Matrix toDense() {
    return triangle.copy();
  }

  @Override
  public Set<Structure> structure() {
    return Set.of();
  }

  @Override
  public String toString() {
    return "Triangular(" + rows() + ", " + (lower ? "lower" : "upper") + (unitDiagonal ? ", unit" : "") + ")";
  }
}
