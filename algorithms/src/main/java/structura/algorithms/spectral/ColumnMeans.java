package structura.algorithms.spectral;

import java.io.Serializable;
import structura.api.Matrix;

/** Column means and centering of row blocks. Package-private. */
final class ColumnMeans {
  private ColumnMeans() {}

  /** The mean row of {@code rows} (r×d, r ≥ 1). */
  static double[] of(Matrix rows) {
    int d = rows.cols();
    double[] mean = new double[d];
    for (int i = 0; i < rows.rows(); i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += rows.get(i, j);
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.rows();
    }
    return mean;
  }

  /** A new F64 matrix: {@code rows} minus {@code mean} in every row. */
  static Matrix subtract(Matrix rows, double[] mean) {
    Matrix out = rows.toDType(structura.api.DType.F64);
    double[] a = out.f64();
    int d = rows.cols();
    for (int i = 0; i < rows.rows(); i++) {
      for (int j = 0; j < d; j++) {
        a[i * d + j] -= mean[j];
      }
    }
    return out;
  }

  /** Sum and count of rows, mergeable: the first pass of global centering. */
  record Sums(long count, double[] sums) implements Serializable {
    static Sums of(Matrix rows) {
      double[] mean = ColumnMeans.of(rows);
      for (int j = 0; j < mean.length; j++) {
        mean[j] *= rows.rows();
      }
      return new Sums(rows.rows(), mean);
    }

    static Sums merge(Sums a, Sums b) {
      double[] s = a.sums.clone();
      for (int j = 0; j < s.length; j++) {
        s[j] += b.sums[j];
      }
      return new Sums(a.count + b.count, s);
    }

    double[] mean() {
      double[] m = sums.clone();
      for (int j = 0; j < m.length; j++) {
        m[j] /= count;
      }
      return m;
    }
  }
}
