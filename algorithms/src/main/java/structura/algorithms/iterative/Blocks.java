package structura.algorithms.iterative;

import structura.api.DType;
import structura.api.Matrix;

/**
 * Column-wise arithmetic on blocks of k vectors of length n stored row-major in one
 * {@code double[]} (entry (i, j) at {@code i·k + j}, the layout of a compact F64 {@link Matrix}),
 * so a block goes to {@code apply} without a copy.
 */
final class Blocks {
  private Blocks() {}

  /** A compact F64 row-major copy of {@code m}. */
  static double[] copyOf(Matrix m) {
    int n = m.rows();
    int k = m.cols();
    double[] out = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        out[i * k + j] = m.get(i, j);
      }
    }
    return out;
  }

  /** Wraps the block as an n×k F64 matrix (no copy). */
  static Matrix wrap(double[] a, int n, int k) {
    return Matrix.wrap(a, n, k);
  }

  /** The block as an n×k matrix of {@code dtype} (a copy for F32, a wrap for F64). */
  static Matrix as(double[] a, int n, int k, DType dtype) {
    if (dtype == DType.F64) {
      return Matrix.wrap(a, n, k);
    }
    float[] f = new float[n * k];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a[i];
    }
    return Matrix.wrap(f, n, k);
  }

  /** ⟨a_j, b_j⟩ for each column j. */
  static double[] dots(double[] a, double[] b, int n, int k) {
    double[] d = new double[k];
    for (int i = 0; i < n; i++) {
      int r = i * k;
      for (int j = 0; j < k; j++) {
        d[j] += a[r + j] * b[r + j];
      }
    }
    return d;
  }

  /** ‖a_j‖₂ for each column j, scaled against overflow and underflow. */
  static double[] norms(double[] a, int n, int k) {
    double[] scale = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        scale[j] = Math.max(scale[j], Math.abs(a[i * k + j]));
      }
    }
    double[] s = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        if (scale[j] > 0) {
          double v = a[i * k + j] / scale[j];
          s[j] += v * v;
        }
      }
    }
    for (int j = 0; j < k; j++) {
      s[j] = scale[j] * Math.sqrt(s[j]);
    }
    return s;
  }

  /** y_j += alpha_j·x_j for each column j. */
  static void axpy(double[] alpha, double[] x, double[] y, int n, int k) {
    for (int i = 0; i < n; i++) {
      int r = i * k;
      for (int j = 0; j < k; j++) {
        y[r + j] += alpha[j] * x[r + j];
      }
    }
  }

  /** y_j = x_j + beta_j·y_j for each column j. */
  static void xpby(double[] x, double[] beta, double[] y, int n, int k) {
    for (int i = 0; i < n; i++) {
      int r = i * k;
      for (int j = 0; j < k; j++) {
        y[r + j] = x[r + j] + beta[j] * y[r + j];
      }
    }
  }

  /** Column j of the block as a new array of length n. */
  static double[] column(double[] a, int n, int k, int j) {
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = a[i * k + j];
    }
    return c;
  }

  /** The largest value of {@code v}, 0 for an empty array. */
  static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
