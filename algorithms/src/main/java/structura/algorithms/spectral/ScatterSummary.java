package structura.algorithms.spectral;

import java.io.Serializable;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Transpose;

/**
 * Count, mean and centered scatter M = Σ (x − μ)(x − μ)ᵀ of a set of rows, mergeable across
 * partitions with the pairwise update of Chan, Golub and LeVeque (1979):
 * M = M_a + M_b + (n_a·n_b/n)·δδᵀ, δ = μ_b − μ_a.
 *
 * <p>Each partition centers on its own mean before forming its Gram, so the sum never takes the
 * E[xxᵀ] − μμᵀ difference that loses digits when the mean is large against the spread (Spark's
 * SPARK-26158). Uncentered use keeps μ = 0 and M = Σ xxᵀ. Size O(d²): this is what the centralized
 * estimator ships, against d·k for the one-round methods.
 *
 * @param count rows n
 * @param mean μ (length d; zeros when uncentered)
 * @param scatter M, d×d row-major
 * @param centered whether M is about the mean
 */
record ScatterSummary(long count, double[] mean, double[] scatter, boolean centered) implements Serializable {
  /** The summary of one block of rows (r×d F64, not modified). */
  static ScatterSummary of(Matrix rows, boolean centered) {
    int r = rows.rows();
    int d = rows.cols();
    double[] mean = new double[d];
    Matrix x = rows;
    if (centered) {
      mean = ColumnMeans.of(rows);
      x = ColumnMeans.subtract(rows, mean);
    }
    Matrix g = Matrix.zeros(DType.F64, d, d);
    // XᵀX as (Xᵀ)(Xᵀ)ᵀ: the Gram of the rows of the tiled transpose reads memory contiguously;
    // the transposed Gram of X strides a whole row per element on the reference backend.
    Engines.compute().gram(Transpose.N, 1.0, x.transposeCopy(), 0.0, g);
    return new ScatterSummary(r, mean, g.f64(), centered);
  }

  static ScatterSummary merge(ScatterSummary a, ScatterSummary b) {
    int d = a.mean.length;
    long n = a.count + b.count;
    double[] scatter = new double[d * d];
    double[] mean = new double[d];
    double wa = (double) a.count / n;
    double wb = (double) b.count / n;
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = b.mean[i] - a.mean[i];
      mean[i] = wa * a.mean[i] + wb * b.mean[i];
    }
    double f = a.centered ? (double) a.count * b.count / n : 0.0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        scatter[i * d + j] = a.scatter[i * d + j] + b.scatter[i * d + j] + f * delta[i] * delta[j];
      }
    }
    return new ScatterSummary(n, mean, scatter, a.centered);
  }

  /** The covariance M/n as a d×d matrix. */
  Matrix covariance() {
    int d = mean.length;
    double[] c = scatter.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] /= count;
    }
    return Matrix.wrap(c, d, d);
  }
}
