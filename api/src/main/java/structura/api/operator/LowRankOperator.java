package structura.api.operator;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * U·diag(s)·Vᵀ with U m×r, s of length r and V n×r. {@code apply} is two GEMMs through the
 * factors: 2rk(m + n) + rk flops instead of 2mnk. Factors are not copied.
 */
public final class LowRankOperator implements LinearOperator {
  private final Matrix u;
  private final double[] s;
  private final Matrix v;
  private final Compute compute;

  LowRankOperator(Matrix u, double[] s, Matrix v, Compute compute) {
    this.u = u;
    this.s = s.clone();
    this.v = v;
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** U (m×r), not a copy. */
  public Matrix u() {
    return u;
  }

  /** The r scaling values, a copy. */
  public double[] s() {
    return s.clone();
  }

  /** V (n×r), not a copy. */
  public Matrix v() {
    return v;
  }

  /** The rank r of the factorisation (an upper bound on the operator's rank). */
  public int rank() {
    return s.length;
  }

  Compute compute() {
    return compute;
  }

  @Override
  public int rows() {
    return u.rows();
  }

  @Override
  public int cols() {
    return v.rows();
  }

  @Override
  public DType dtype() {
    return u.dtype();
  }

  @Override
  public Matrix apply(Matrix x) {
    Operators.requireInput(this, x, cols(), "apply");
    return through(v, u, x);
  }

  @Override
  public Matrix applyTranspose(Matrix y) {
    Operators.requireInput(this, y, rows(), "applyTranspose");
    return through(u, v, y);
  }

  /** out = second·diag(s)·firstᵀ·x. */
  private Matrix through(Matrix first, Matrix second, Matrix x) {
    Matrix t = compute.multiply(Transpose.T, first, Transpose.N, x);
    for (int i = 0; i < t.rows(); i++) {
      for (int j = 0; j < t.cols(); j++) {
        t.set(i, j, s[i] * t.get(i, j));
      }
    }
    return compute.multiply(Transpose.N, second, Transpose.N, t);
  }

  @Override
  public Matrix toDense() {
    Matrix out = Matrix.zeros(dtype(), rows(), cols());
    for (int i = 0; i < rows(); i++) {
      for (int j = 0; j < cols(); j++) {
        double sum = 0;
        for (int p = 0; p < s.length; p++) {
          sum += u.get(i, p) * s[p] * v.get(j, p);
        }
        out.set(i, j, sum);
      }
    }
    return out;
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> st = EnumSet.noneOf(Structure.class);
    if (u == v) {
      st.add(Structure.SYMMETRIC);
      boolean nonNegative = true;
      for (double x : s) {
        nonNegative &= x >= 0;
      }
      if (nonNegative) {
        st.add(Structure.PSD);
      }
    }
    return st;
  }

  @Override
  public String toString() {
    return "LowRank(" + rows() + "x" + cols() + ", r=" + s.length + ")";
  }
}
