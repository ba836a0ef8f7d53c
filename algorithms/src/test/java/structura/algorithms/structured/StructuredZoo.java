package structura.algorithms.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.Structure;
import structura.testkit.OperatorZoo;

/**
 * The operators the facade is tested on: every square entry of the testkit {@link OperatorZoo}
 * plus well-conditioned symmetric, positive definite and low-rank-update operators of each
 * structure the dispatch table knows. Each entry's dense matrix is formed with EJML from the raw
 * factors, independently of the operator classes.
 */
final class StructuredZoo {
  private StructuredZoo() {}

  static List<OperatorZoo.Entry> all(DType dtype, long seed) {
    List<OperatorZoo.Entry> out = new ArrayList<>();
    for (OperatorZoo.Entry e : OperatorZoo.all(dtype, Compute.reference(), seed)) {
      if (e.operator().rows() == e.operator().cols() && e.operator().rows() > 0) {
        out.add(e);
      }
    }
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    Matrix s3 = spd(dtype, 3, rnd);
    Matrix s4 = spd(dtype, 4, rnd);
    Matrix s2 = spd(dtype, 2, rnd);
    out.add(entry("kronecker SPD 3 (x) SPD 4", Operators.kronecker(dense(s3), dense(s4)), kron(s3, s4)));
    out.add(entry("kronecker tagged-PSD 4 (x) 2", Operators.kronecker(Operators.tagged(dense(s4), Structure.PSD),
        Operators.tagged(dense(s2), Structure.PSD)), kron(s4, s2)));
    Matrix g3 = general(dtype, 3, rnd);
    Matrix g2 = general(dtype, 2, rnd);
    out.add(entry("kronecker general 3 (x) 2", Operators.kronecker(dense(g3), dense(g2)), kron(g3, g2)));
    out.add(entry("kroneckerSum SPD 3 (+) SPD 4", Operators.kroneckerSum(dense(s3), dense(s4)),
        plus(kron(s3, eye(4)), kron(eye(3), s4))));
    double[] d2 = {1.5, 0.75};
    out.add(entry("blockDiagonal(SPD 3, diagonal 2, SPD 4)",
        Operators.blockDiagonal(dense(s3), Operators.diagonal(dtype, d2), dense(s4)),
        blockDiag(s3, diag(d2), s4)));
    out.add(entry("blockDiagonal(general 3, general 2)", Operators.blockDiagonal(dense(g3), dense(g2)),
        blockDiag(g3, g2)));
    double[] dpos = {2, 1.5, 3, 2.5, 1.25, 4};
    Matrix u = random(dtype, 6, 2, rnd);
    double[] sym = {0.8, 1.7};
    out.add(entry("diagonal + U S Uᵀ (Woodbury, SPD)", Operators.sum(Operators.diagonal(dtype, dpos),
        Operators.lowRankOnReference(u, sym, u)), plus(diag(dpos), lowRank(u, sym, u))));
    Matrix v = random(dtype, 6, 2, rnd);
    double[] sv = {0.6, -0.9};
    Matrix t = lowerWellConditioned(dtype, 6, rnd);
    out.add(entry("triangular + U S Vᵀ (Woodbury)", Operators.sum(Operators.triangular(t, true, false),
        Operators.lowRankOnReference(u, sv, v)), plus(lowerPart(t), lowRank(u, sv, v))));
    int[] perm = {3, 0, 5, 1, 2, 4};
    out.add(entry("permutation + U S Vᵀ (Woodbury)", Operators.sum(Operators.permutation(dtype, perm),
        Operators.lowRankOnReference(u, sv, v)), plus(permutationMatrix(perm), lowRank(u, sv, v))));
    Matrix u1 = random(dtype, 4, 1, rnd);
    Matrix v1 = random(dtype, 4, 1, rnd);
    out.add(entry("scaled 2.5 * SPD 4 + rank 1 (Woodbury)", Operators.sum(Operators.scale(2.5, Operators.denseOnReference(s4)),
        Operators.lowRankOnReference(u1, new double[] {0.5}, v1)), plus(scale(s4, 2.5), lowRank(u1, new double[] {0.5}, v1))));
    out.add(entry("product general 3 * SPD 3", Operators.product(dense(g3), dense(s3)), multiply(g3, s3)));
    out.add(entry("scaled -2 * SPD 4", Operators.scale(-2, dense(s4)), scale(s4, -2)));
    out.add(entry("transpose of general 3", Operators.transpose(dense(g3)), transpose(g3)));
    out.add(entry("tagged PSD SPD 4", Operators.tagged(dense(s4), Structure.PSD), s4));
    Matrix q = orthogonal(dtype, 4, rnd);
    out.add(entry("tagged orthogonal 4", Operators.tagged(dense(q), Structure.ORTHOGONAL), q));
    out.add(entry("opaque kronecker SPD 3 (x) SPD 2", Operators.opaque(Operators.kronecker(dense(s3), dense(s2))),
        kron(s3, s2)));
    Matrix up = transpose(lowerWellConditioned(dtype, 5, rnd)).toDType(dtype);
    out.add(entry("triangular upper 5", Operators.triangular(up, false, false), transpose(lowerPart(transpose(up)))));
    return out;
  }

  private static OperatorZoo.Entry entry(String name, LinearOperator op, Matrix expected) {
    return new OperatorZoo.Entry(name, op, expected.toDType(DType.F64));
  }

  private static LinearOperator dense(Matrix m) {
    return Operators.denseOnReference(m);
  }

  static Matrix random(DType dtype, int rows, int cols, SplittableRandom rnd) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, rnd.nextDouble(-1, 1));
      }
    }
    return m;
  }

  /** G·Gᵀ/n + I: symmetric positive definite with condition number below about 3. */
  static Matrix spd(DType dtype, int n, SplittableRandom rnd) {
    DMatrixRMaj g = ejml(random(DType.F64, n, n, rnd));
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(1.0 / n, g, g, a);
    for (int i = 0; i < n; i++) {
      a.add(i, i, 1);
    }
    return Matrix.wrap(a.data, n, n).toDType(dtype);
  }

  /** A random matrix plus 3·I: non-symmetric, well conditioned. */
  static Matrix general(DType dtype, int n, SplittableRandom rnd) {
    Matrix m = random(DType.F64, n, n, rnd);
    for (int i = 0; i < n; i++) {
      m.set(i, i, m.get(i, i) + 3);
    }
    return m.toDType(dtype);
  }

  static Matrix lowerWellConditioned(DType dtype, int n, SplittableRandom rnd) {
    Matrix m = random(DType.F64, n, n, rnd);
    for (int i = 0; i < n; i++) {
      m.set(i, i, 2 + rnd.nextDouble());
    }
    return m.toDType(dtype);
  }

  static Matrix orthogonal(DType dtype, int n, SplittableRandom rnd) {
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
    qr.decompose(ejml(random(DType.F64, n, n, rnd)));
    DMatrixRMaj q = qr.getQ(null, false);
    return Matrix.wrap(q.data, n, n).toDType(dtype);
  }

  static DMatrixRMaj ejml(Matrix m) {
    Matrix c = m.toDType(DType.F64);
    return DMatrixRMaj.wrap(m.rows(), m.cols(), c.f64());
  }

  static Matrix of(DMatrixRMaj m) {
    return Matrix.wrap(m.data, m.numRows, m.numCols);
  }

  static Matrix kron(Matrix a, Matrix b) {
    DMatrixRMaj out = new DMatrixRMaj(a.rows() * b.rows(), a.cols() * b.cols());
    CommonOps_DDRM.kron(ejml(a), ejml(b), out);
    return of(out);
  }

  static Matrix eye(int n) {
    return of(CommonOps_DDRM.identity(n));
  }

  static Matrix plus(Matrix a, Matrix b) {
    DMatrixRMaj out = new DMatrixRMaj(a.rows(), a.cols());
    CommonOps_DDRM.add(ejml(a), ejml(b), out);
    return of(out);
  }

  static Matrix multiply(Matrix a, Matrix b) {
    DMatrixRMaj out = new DMatrixRMaj(a.rows(), b.cols());
    CommonOps_DDRM.mult(ejml(a), ejml(b), out);
    return of(out);
  }

  static Matrix transpose(Matrix a) {
    return of(CommonOps_DDRM.transpose(ejml(a), null));
  }

  static Matrix scale(Matrix a, double alpha) {
    DMatrixRMaj out = ejml(a).copy();
    CommonOps_DDRM.scale(alpha, out);
    return of(out);
  }

  static Matrix diag(double[] d) {
    return of(CommonOps_DDRM.diag(d));
  }

  static Matrix blockDiag(Matrix... blocks) {
    DMatrixRMaj[] m = new DMatrixRMaj[blocks.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = ejml(blocks[i]);
    }
    return of(blockDiagonal(m));
  }

  private static DMatrixRMaj blockDiagonal(DMatrixRMaj[] blocks) {
    int rows = 0;
    int cols = 0;
    for (DMatrixRMaj b : blocks) {
      rows += b.numRows;
      cols += b.numCols;
    }
    DMatrixRMaj out = new DMatrixRMaj(rows, cols);
    int r = 0;
    int c = 0;
    for (DMatrixRMaj b : blocks) {
      CommonOps_DDRM.insert(b, out, r, c);
      r += b.numRows;
      c += b.numCols;
    }
    return out;
  }

  static Matrix lowRank(Matrix u, double[] s, Matrix v) {
    DMatrixRMaj us = ejml(u).copy();
    for (int i = 0; i < us.numRows; i++) {
      for (int p = 0; p < s.length; p++) {
        us.set(i, p, us.get(i, p) * s[p]);
      }
    }
    DMatrixRMaj out = new DMatrixRMaj(u.rows(), v.rows());
    CommonOps_DDRM.multTransB(us, ejml(v), out);
    return of(out);
  }

  static Matrix lowerPart(Matrix t) {
    DMatrixRMaj m = ejml(t).copy();
    for (int i = 0; i < m.numRows; i++) {
      for (int j = i + 1; j < m.numCols; j++) {
        m.set(i, j, 0);
      }
    }
    return of(m);
  }

  static Matrix permutationMatrix(int[] perm) {
    DMatrixRMaj m = new DMatrixRMaj(perm.length, perm.length);
    for (int i = 0; i < perm.length; i++) {
      m.set(i, perm[i], 1);
    }
    return of(m);
  }
}
