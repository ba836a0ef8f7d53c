package structura.algorithms.iterative;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;
import structura.api.DType;
import structura.api.Matrix;

/** Test matrices and dense references computed with EJML, independent of the code under test. */
final class Dense {
  private Dense() {}

  static DMatrixRMaj ejml(Matrix m) {
    DMatrixRMaj out = new DMatrixRMaj(m.rows(), m.cols());
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        out.set(i, j, m.get(i, j));
      }
    }
    return out;
  }

  static Matrix matrix(DMatrixRMaj m) {
    Matrix out = Matrix.zeros(DType.F64, m.numRows, m.numCols);
    for (int i = 0; i < m.numRows; i++) {
      for (int j = 0; j < m.numCols; j++) {
        out.set(i, j, m.get(i, j));
      }
    }
    return out;
  }

  static Matrix gaussian(int n, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Matrix m = Matrix.zeros(DType.F64, n, k);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        m.set(i, j, gaussian(rng));
      }
    }
    return m;
  }

  static double gaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** A random orthogonal n×n matrix (Q of the QR of a Gaussian matrix). */
  static DMatrixRMaj orthogonal(int n, long seed) {
    DMatrixRMaj g = ejml(gaussian(n, n, seed));
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
    qr.decompose(g);
    return qr.getQ(null, false);
  }

  /** Q·diag(λ)·Qᵀ for a random orthogonal Q. */
  static Matrix withSpectrum(double[] lambda, long seed) {
    int n = lambda.length;
    DMatrixRMaj q = orthogonal(n, seed);
    DMatrixRMaj qd = q.copy();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        qd.set(i, j, q.get(i, j) * lambda[j]);
      }
    }
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(qd, q, a);
    symmetrize(a);
    return matrix(a);
  }

  /** Eigenvalues geometrically spaced from 1 down to 1/κ. */
  static double[] geometricSpectrum(int n, double kappa) {
    double[] l = new double[n];
    for (int i = 0; i < n; i++) {
      l[i] = Math.pow(kappa, -(double) i / (n - 1));
    }
    return l;
  }

  static void symmetrize(DMatrixRMaj a) {
    for (int i = 0; i < a.numRows; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (a.get(i, j) + a.get(j, i));
        a.set(i, j, v);
        a.set(j, i, v);
      }
    }
  }

  /** n points uniform in [0, 1]^d. */
  static double[][] points(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = rng.nextDouble();
      }
    }
    return x;
  }

  /** RBF kernel exp(−|x−y|²/(2ℓ²)), without noise. */
  static Matrix rbf(double[][] x, double lengthscale) {
    int n = x.length;
    Matrix k = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        k.set(i, j, Math.exp(-distance2(x[i], x[j]) / (2 * lengthscale * lengthscale)));
      }
    }
    return k;
  }

  /** Matérn-5/2 kernel (1 + √5 r/ℓ + 5r²/(3ℓ²))·exp(−√5 r/ℓ), without noise. */
  static Matrix matern52(double[][] x, double lengthscale) {
    int n = x.length;
    Matrix k = Matrix.zeros(DType.F64, n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = Math.sqrt(5 * distance2(x[i], x[j])) / lengthscale;
        k.set(i, j, (1 + s + s * s / 3) * Math.exp(-s));
      }
    }
    return k;
  }

  private static double distance2(double[] a, double[] b) {
    double s = 0;
    for (int t = 0; t < a.length; t++) {
      s += (a[t] - b[t]) * (a[t] - b[t]);
    }
    return s;
  }

  /** A + σ²I (a copy). */
  static Matrix plusDiagonal(Matrix a, double s) {
    Matrix out = a.copy();
    for (int i = 0; i < a.rows(); i++) {
      out.set(i, i, out.get(i, i) + s);
    }
    return out;
  }

  /** A⁻¹B by EJML's LU solve. */
  static Matrix solve(Matrix a, Matrix b) {
    DMatrixRMaj x = new DMatrixRMaj(b.rows(), b.cols());
    if (!CommonOps_DDRM.solve(ejml(a), ejml(b), x)) {
      throw new IllegalStateException("singular");
    }
    return matrix(x);
  }

  /** log det A by EJML's Cholesky. */
  static double logdet(Matrix a) {
    CholeskyDecomposition_F64<DMatrixRMaj> c = DecompositionFactory_DDRM.chol(a.rows(), true);
    if (!c.decompose(ejml(a))) {
      throw new IllegalStateException("not SPD");
    }
    DMatrixRMaj l = c.getT(null);
    double s = 0;
    for (int i = 0; i < a.rows(); i++) {
      s += 2 * Math.log(l.get(i, i));
    }
    return s;
  }

  /** Eigenvalues of the symmetric A (EJML), unordered. */
  static double[] eigenvalues(Matrix a) {
    EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(a.rows(), false, true);
    if (!e.decompose(ejml(a))) {
      throw new IllegalStateException("eig failed");
    }
    double[] w = new double[a.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = e.getEigenvalue(i).real;
    }
    return w;
  }

  static Matrix multiply(Matrix a, Matrix b) {
    DMatrixRMaj c = new DMatrixRMaj(a.rows(), b.cols());
    CommonOps_DDRM.mult(ejml(a), ejml(b), c);
    return matrix(c);
  }

  /** ‖a − b‖_F / ‖b‖_F. */
  static double relativeError(Matrix a, Matrix b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double d = a.get(i, j) - b.get(i, j);
        num += d * d;
        den += b.get(i, j) * b.get(i, j);
      }
    }
    return Math.sqrt(num / den);
  }

  /** max_j ‖b_j − A·x_j‖/‖b_j‖ computed densely. */
  static double relativeResidual(Matrix a, Matrix x, Matrix b) {
    Matrix ax = multiply(a, x);
    double worst = 0;
    for (int j = 0; j < b.cols(); j++) {
      double num = 0;
      double den = 0;
      for (int i = 0; i < b.rows(); i++) {
        double d = b.get(i, j) - ax.get(i, j);
        num += d * d;
        den += b.get(i, j) * b.get(i, j);
      }
      worst = Math.max(worst, Math.sqrt(num / den));
    }
    return worst;
  }

  /** V·diag(f(λ))·Vᵀ·B for symmetric A by EJML's symmetric eigendecomposition. */
  static Matrix applyFunction(Matrix a, java.util.function.DoubleUnaryOperator f, Matrix b) {
    int n = a.rows();
    EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(n, true, true);
    if (!e.decompose(ejml(a))) {
      throw new IllegalStateException("eig failed");
    }
    DMatrixRMaj v = new DMatrixRMaj(n, n);
    double[] fl = new double[n];
    for (int j = 0; j < n; j++) {
      DMatrixRMaj vj = e.getEigenVector(j);
      for (int i = 0; i < n; i++) {
        v.set(i, j, vj.get(i, 0));
      }
      fl[j] = f.applyAsDouble(e.getEigenvalue(j).real);
    }
    DMatrixRMaj vtb = new DMatrixRMaj(n, b.cols());
    CommonOps_DDRM.multTransA(v, ejml(b), vtb);
    for (int j = 0; j < n; j++) {
      for (int c = 0; c < b.cols(); c++) {
        vtb.set(j, c, vtb.get(j, c) * fl[j]);
      }
    }
    DMatrixRMaj out = new DMatrixRMaj(n, b.cols());
    CommonOps_DDRM.mult(v, vtb, out);
    return matrix(out);
  }
}
