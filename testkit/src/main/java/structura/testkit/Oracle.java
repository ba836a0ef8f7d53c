package structura.testkit;

import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.RadialKernel;
import structura.api.backend.Transpose;

/**
 * Independent reference results, computed element by element through {@link Matrix#get} in
 * compensated double arithmetic (TwoProduct with FMA and TwoSum: the Dot2 algorithm of Ogita,
 * Rump and Oishi, 2005), so they are accurate to about one F64 rounding regardless of the
 * accumulation length. Shares no code with any backend. Each result carries, per element, the
 * magnitude bound {@code |alpha|·Σ|a||b| + |beta||c|} against which a backend's rounding error
 * is measured.
 */
public final class Oracle {
  private Oracle() {}

  /**
   * Expected values and error-scale bounds, compact row-major.
   *
   * @param rows rows of the result
   * @param cols columns of the result
   * @param value accurate values
   * @param bound per-element magnitude scale for tolerances
   */
  public record Expected(int rows, int cols, double[] value, double[] bound) {
    /** Value at (i, j). */
    public double value(int i, int j) {
      return value[i * cols + j];
    }

    /** Bound at (i, j). */
    public double bound(int i, int j) {
      return bound[i * cols + j];
    }
  }

  /** Accumulator for Σ x·y in double-double (Dot2). */
  private static final class Dot2 {
    private double sum;
    private double err;
    private double abs;

    void add(double x, double y) {
      double p = x * y;
      double pe = Math.fma(x, y, -p);
      double s = sum + p;
      double z = s - sum;
      double se = (sum - (s - z)) + (p - z);
      sum = s;
      err += pe + se;
      abs += Math.abs(p);
    }

    double value() {
      return sum + err;
    }
  }

  /** {@code alpha·op(A)·op(B) + beta·C0}, where C0 is read only when {@code beta != 0}. */
  public static Expected gemm(Transpose ta, Transpose tb, double alpha, Matrix a, Matrix b, double beta, Matrix c0) {
    int m = c0.rows();
    int n = c0.cols();
    int k = ta.transposed() ? a.rows() : a.cols();
    double[] v = new double[m * n];
    double[] bound = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        Dot2 d = new Dot2();
        for (int p = 0; p < k; p++) {
          double aip = ta.transposed() ? a.get(p, i) : a.get(i, p);
          double bpj = tb.transposed() ? b.get(j, p) : b.get(p, j);
          d.add(aip, bpj);
        }
        double c = beta == 0 ? 0 : c0.get(i, j);
        v[i * n + j] = Math.fma(alpha, d.value(), beta == 0 ? 0 : beta * c);
        bound[i * n + j] = Math.abs(alpha) * d.abs + (beta == 0 ? 0 : Math.abs(beta * c));
      }
    }
    return new Expected(m, n, v, bound);
  }

  /**
   * {@code K(X, Y)·V + beta·O0} with {@code K_ij = κ(‖x_i − y_j‖)}, the kernel written out here
   * from its definition (not through {@link RadialKernel#ofSquaredDistance}). The bound is
   * {@code Σ_j |K_ij|·(1 + r_ij + r_ij²)·|v_jc| + |beta·o0|}: the extra factor is the kernel's
   * sensitivity to a relative error in r (|r·κ'(r)/κ(r)| ≤ 1 + r + r² for every kind).
   */
  public static Expected kernelMultiply(RadialKernel kernel, Matrix x, Matrix y, Matrix v, double beta, Matrix o0) {
    int m = x.rows();
    int n = y.rows();
    int k = v.cols();
    double[] kij = new double[n];
    double[] sens = new double[n];
    double[] out = new double[m * k];
    double[] bound = new double[m * k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        Dot2 r2 = new Dot2();
        for (int t = 0; t < x.cols(); t++) {
          double diff = x.get(i, t) - y.get(j, t);
          r2.add(diff, diff);
        }
        double r = Math.sqrt(r2.value());
        kij[j] = radial(kernel, r);
        sens[j] = Math.abs(kij[j]) * (1 + r + r * r);
      }
      for (int c = 0; c < k; c++) {
        Dot2 acc = new Dot2();
        double b = 0;
        for (int j = 0; j < n; j++) {
          acc.add(kij[j], v.get(j, c));
          b += sens[j] * Math.abs(v.get(j, c));
        }
        double o = beta == 0 ? 0 : beta * o0.get(i, c);
        out[i * k + c] = acc.value() + o;
        bound[i * k + c] = b + Math.abs(o);
      }
    }
    return new Expected(m, k, out, bound);
  }

  private static double radial(RadialKernel kernel, double r) {
    double s2 = kernel.variance();
    return switch (kernel.kind()) {
      case GAUSSIAN -> s2 * Math.exp(-r * r / 2);
      case EXPONENTIAL, MATERN_12 -> s2 * Math.exp(-r);
      case MATERN_32 -> s2 * (1 + Math.sqrt(3) * r) * Math.exp(-Math.sqrt(3) * r);
      case MATERN_52 -> s2 * (1 + Math.sqrt(5) * r + 5 * r * r / 3) * Math.exp(-Math.sqrt(5) * r);
      case RATIONAL_QUADRATIC -> s2 * Math.exp(-kernel.shape() * Math.log1p(r * r / (2 * kernel.shape())));
      case CAUCHY -> s2 / (1 + r * r);
      case LAPLACE -> r == 0 ? 0 : s2 / r;
    };
  }

  /** {@code alpha·op(A)·x + beta·y0} as a column of {@code rows(op(A))} entries; x and y0 are vectors (1×n or n×1). */
  public static Expected gemv(Transpose ta, double alpha, Matrix a, Matrix x, double beta, Matrix y0) {
    int rows = ta.transposed() ? a.cols() : a.rows();
    int inner = ta.transposed() ? a.rows() : a.cols();
    double[] v = new double[rows];
    double[] bound = new double[rows];
    for (int i = 0; i < rows; i++) {
      Dot2 d = new Dot2();
      for (int p = 0; p < inner; p++) {
        d.add(ta.transposed() ? a.get(p, i) : a.get(i, p), entry(x, p));
      }
      double y = beta == 0 ? 0 : entry(y0, i);
      v[i] = Math.fma(alpha, d.value(), beta == 0 ? 0 : beta * y);
      bound[i] = Math.abs(alpha) * d.abs + (beta == 0 ? 0 : Math.abs(beta * y));
    }
    return new Expected(rows, 1, v, bound);
  }

  /** {@code alpha·op(A)ᵀop(A) + beta·C0} (Transpose.T: AᵀA; N: AAᵀ). */
  public static Expected gram(Transpose t, double alpha, Matrix a, double beta, Matrix c0) {
    int n = t.transposed() ? a.cols() : a.rows();
    int k = t.transposed() ? a.rows() : a.cols();
    double[] v = new double[n * n];
    double[] bound = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        Dot2 d = new Dot2();
        for (int p = 0; p < k; p++) {
          d.add(t.transposed() ? a.get(p, i) : a.get(i, p), t.transposed() ? a.get(p, j) : a.get(j, p));
        }
        double c = beta == 0 ? 0 : c0.get(i, j);
        v[i * n + j] = Math.fma(alpha, d.value(), beta == 0 ? 0 : beta * c);
        bound[i * n + j] = Math.abs(alpha) * d.abs + (beta == 0 ? 0 : Math.abs(beta * c));
      }
    }
    return new Expected(n, n, v, bound);
  }

  /** Σ x_i y_i over two vectors or two matrices of one shape, as a 1×1 expectation. */
  public static Expected dot(Matrix x, Matrix y) {
    Dot2 d = new Dot2();
    if ((x.rows() <= 1 || x.cols() <= 1) && (y.rows() <= 1 || y.cols() <= 1)) {
      long n = x.size();
      for (int i = 0; i < n; i++) {
        d.add(entry(x, i), entry(y, i));
      }
    } else {
      for (int i = 0; i < x.rows(); i++) {
        for (int j = 0; j < x.cols(); j++) {
          d.add(x.get(i, j), y.get(i, j));
        }
      }
    }
    return new Expected(1, 1, new double[] {d.value()}, new double[] {d.abs});
  }

  /** Dense product {@code A·B} of two matrices, accurate, as a new F64 matrix (for the operator zoo). */
  public static Matrix multiply(Matrix a, Matrix b) {
    Expected e = gemm(Transpose.N, Transpose.N, 1.0, a, b, 0.0, Matrix.zeros(DType.F64, a.rows(), b.cols()));
    return e.cols() == 0 ? Matrix.zeros(DType.F64, e.rows(), 0) : Matrix.wrap(e.value(), e.rows(), e.cols());
  }

  /** Entry i of a vector view (1×n or n×1). */
  public static double entry(Matrix v, int i) {
    return v.rows() == 1 ? v.get(0, i) : v.get(i, 0);
  }
}
