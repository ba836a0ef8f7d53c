package structura.algorithms.structured;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.LowRankOperator;

/**
 * (D + U·S·Vᵀ)⁻¹ by the Woodbury identity, for D easy to invert (diagonal, scaled identity,
 * triangular, permutation) and U, V n×r, S = diag(s):
 * <pre>  (D + U S Vᵀ)⁻¹ = D⁻¹ − W·C⁻¹·S·Vᵀ·D⁻¹,   W = D⁻¹U,   C = I_r + S·Vᵀ·W.</pre>
 * This form never divides by s, so zero singular values are harmless. Setup: one D⁻¹ apply
 * to U, the r×r capacitance C (2nr² flops, in plain row-streaming loops) and its LU (2r³/3); each apply then costs one D⁻¹
 * apply and 4nrk flops. The determinant lemma gives det A = det D · det C.
 */
final class WoodburyInverse implements LinearOperator {
  private final LinearOperator dInverse;
  private final Matrix w;
  private final Matrix v;
  private final double[] s;
  private final DenseLuInverse cInverse;
  private final DType dtype;

  WoodburyInverse(LinearOperator dInverse, LowRankOperator lowRank) {
    this.dInverse = dInverse;
    this.dtype = lowRank.dtype();
    this.w = dInverse.apply(lowRank.u()).toDType(DType.F64);
    this.v = lowRank.v().toDType(DType.F64);
    this.s = lowRank.s();
    this.cInverse = DenseLuInverse.of(capacitance(w, v, s), DType.F64, "the Woodbury capacitance I + S·Vᵀ·D⁻¹·U of argument 'a'");
  }

  /** C = I_r + S·Vᵀ·D⁻¹·U, whose determinant the determinant lemma multiplies det D by. */
  static Matrix capacitance(LinearOperator dInverse, LowRankOperator lowRank) {
    return capacitance(dInverse.apply(lowRank.u()).toDType(DType.F64), lowRank.v().toDType(DType.F64), lowRank.s());
  }

  private static Matrix capacitance(Matrix w, Matrix v, double[] s) {
    Matrix vtw = transposeTimes(v, w);
    int r = s.length;
    Matrix c = Matrix.zeros(DType.F64, r, r);
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        c.set(i, j, (i == j ? 1 : 0) + s[i] * vtw.get(i, j));
      }
    }
    return c;
  }

  @Override
  public int rows() {
    return w.rows();
  }

  @Override
  public int cols() {
    return w.rows();
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Matrix apply(Matrix x) {
    Matrix y = dInverse.apply(x).toDType(DType.F64);
    Matrix t = transposeTimes(v, y);
    scaleRows(t);
    Matrix z = cInverse.apply(t);
    Matrix wz = times(w, z);
    return subtract(y, wz);
  }

  /** A⁻ᵀx = D⁻ᵀx − D⁻ᵀ·V·S·C⁻ᵀ·Wᵀx. */
  @Override
  public Matrix applyTranspose(Matrix x) {
    Matrix y = dInverse.applyTranspose(x).toDType(DType.F64);
    Matrix t = transposeTimes(w, x.toDType(DType.F64));
    Matrix z = cInverse.applyTranspose(t);
    scaleRows(z);
    Matrix vsz = times(v, z).toDType(dtype);
    return subtract(y, dInverse.applyTranspose(vsz).toDType(DType.F64));
  }

  /**
   * aᵀ·b for tall F64 views a (n×r) and b (n×k), streaming both by rows (row-major friendly: the
   * reference GEMM's transposed path is far slower at these shapes).
   */
  private static Matrix transposeTimes(Matrix a, Matrix b) {
    int n = a.rows();
    int r = a.cols();
    int k = b.cols();
    double[] out = new double[r * k];
    double[] ad = a.f64();
    double[] bd = b.f64();
    for (int i = 0; i < n; i++) {
      int ai = a.index(i, 0);
      int bi = b.index(i, 0);
      for (int p = 0; p < r; p++) {
        double aip = ad[ai + p];
        if (aip != 0) {
          for (int c = 0; c < k; c++) {
            out[p * k + c] += aip * bd[bi + c];
          }
        }
      }
    }
    return Matrix.wrap(out, r, k);
  }

  /** a·b for tall F64 a (n×r) and small b (r×k). */
  private static Matrix times(Matrix a, Matrix b) {
    int n = a.rows();
    int r = a.cols();
    int k = b.cols();
    double[] out = new double[n * k];
    double[] ad = a.f64();
    double[] bd = b.f64();
    for (int i = 0; i < n; i++) {
      int ai = a.index(i, 0);
      for (int p = 0; p < r; p++) {
        double aip = ad[ai + p];
        int bp = b.index(p, 0);
        for (int c = 0; c < k; c++) {
          out[i * k + c] += aip * bd[bp + c];
        }
      }
    }
    return Matrix.wrap(out, n, k);
  }

  private void scaleRows(Matrix t) {
    for (int i = 0; i < t.rows(); i++) {
      for (int c = 0; c < t.cols(); c++) {
        t.set(i, c, s[i] * t.get(i, c));
      }
    }
  }

  private Matrix subtract(Matrix a, Matrix b) {
    Matrix out = Matrix.zeros(dtype, a.rows(), a.cols());
    for (int i = 0; i < a.rows(); i++) {
      for (int c = 0; c < a.cols(); c++) {
        out.set(i, c, a.get(i, c) - b.get(i, c));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "WoodburyInverse(" + rows() + ", r=" + s.length + ")";
  }
}
