package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;

/**
 * The blocked QRs at sizes where the block structure matters, against EJML's (unblocked)
 * Householder QR: n not a multiple of the block size, wide m &lt; n, rank-deficient A, and row counts
 * that are multiples of 64 and at least 512, where the work array's leading dimension is padded
 * ({@link Householder#paddedLeadingDimension}). R is unique up to the sign of each row for a
 * full-rank A, so R is compared row-signed; the rows past a rank-deficient A's rank are rounding
 * noise in both and are compared in absolute terms.
 */
class BlockedQrAgainstEjmlTest {
  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(300, 197, 197, 64),   // 197 = 3·64 + 5: a short last panel, unpadded
        Arguments.of(576, 200, 200, 64),   // padded (576 = 9·64), 200 = 3·64 + 8
        Arguments.of(640, 130, 40, 32),    // padded, rank 40 (not a block multiple)
        Arguments.of(130, 333, 130, 64),   // wide: min(m, n) = 130 reflectors, trailing columns to the right
        Arguments.of(512, 700, 512, 48),   // wide and padded (leading dimension 520)
        Arguments.of(1024, 71, 71, 16));   // tall-skinny, padded, block 16
  }

  /** Seeded m×n of rank r: (m×r Gaussian)·(r×n Gaussian), graded so that the columns differ in scale. */
  static Matrix lowRank(int m, int n, int r, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] u = new double[m * r];
    double[] v = new double[r * n];
    for (int i = 0; i < u.length; i++) {
      u[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextGaussian() * Math.pow(0.99, i % n);
    }
    Matrix a = Matrix.zeros(DType.F64, m, n);
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < r; p++) {
        double x = u[i * r + p];
        for (int j = 0; j < n; j++) {
          a.f64()[i * n + j] += x * v[p * n + j];
        }
      }
    }
    return a;
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void rMatchesEjmlUpToRowSignsAndQIsOrthonormal(int m, int n, int rank, int blockSize) {
    assertMatchesEjml(Compute.reference(), m, n, rank, new HouseholderQrOptions(blockSize));
  }

  /**
   * The look-ahead path ({@link PanelLookAhead}: taken with the option on when the backend reports
   * two or more host threads) against EJML at the same shapes, plus one where the trailing updates are cut into
   * items ({@link QrShapedGemm}), and bit-identical to the plain blocked loop.
   */
  @ParameterizedTest
  @MethodSource("lookAheadShapes")
  void lookAheadPathMatchesEjmlAndThePlainLoopBitForBit(int m, int n, int rank, int blockSize) {
    QrFactorization f = assertMatchesEjml(ReferenceThreads.open(2), m, n, rank, new HouseholderQrOptions(blockSize, true));
    Matrix a = lowRank(m, n, rank, 11L * m + n);
    Matrix plain = new HouseholderQr(Compute.reference(), new HouseholderQrOptions(blockSize)).factor(a).r();
    Matrix r = f.r();
    for (int i = 0; i < r.rows(); i++) {
      for (int j = 0; j < r.cols(); j++) {
        assertEquals(Double.doubleToRawLongBits(plain.get(i, j)), Double.doubleToRawLongBits(r.get(i, j)),
            "R(" + i + "," + j + ") look-ahead vs plain loop at " + m + "x" + n);
      }
    }
  }

  static Stream<Arguments> lookAheadShapes() {
    return Stream.concat(shapes(), Stream.of(
        Arguments.of(1700, 200, 200, 64),    // update cut into row items, W into column items
        Arguments.of(64, 64, 64, 64),        // a single panel: no look-ahead
        Arguments.of(200, 65, 65, 64)));     // the last panel one column wide
  }

  private static QrFactorization assertMatchesEjml(Compute compute, int m, int n, int rank, HouseholderQrOptions options) {
    int blockSize = options.blockSize();
    Matrix a = lowRank(m, n, rank, 11L * m + n);
    QrFactorization f = new HouseholderQr(compute, options).factor(a);
    Matrix r = f.r();
    Matrix q = f.q();
    QRDecomposition<DMatrixRMaj> ejml = DecompositionFactory_DDRM.qr(m, n);
    assertTrue(ejml.decompose(new DMatrixRMaj(Norms.toArray(a))));
    DMatrixRMaj re = ejml.getR(null, true);
    int k = Math.min(m, n);
    double norm = Norms.frobenius(a);
    double u = DType.F64.unitRoundoff();
    double tol = 50 * u * Math.max(m, n) * norm;
    for (int i = 0; i < k; i++) {
      double want = re.get(i, i);
      boolean signed = Math.abs(want) > 1e-8 * norm;
      double s = signed ? Math.signum(want) * Math.signum(r.get(i, i)) : 1;
      for (int j = 0; j < n; j++) {
        double ours = r.get(i, j);
        double ref = re.get(i, j);
        if (signed) {
          assertEquals(ref, s * ours, tol, "R(" + i + "," + j + ") at " + m + "x" + n + ", nb " + blockSize);
        } else {
          assertTrue(Math.abs(ours) <= tol && Math.abs(ref) <= tol,
              "R(" + i + "," + j + ") past rank " + rank + ": ours " + ours + ", EJML " + ref);
        }
      }
    }
    double rel = Norms.frobenius(Norms.minus(a, Norms.times(q, r))) / norm;
    assertTrue(rel < 20 * u * Math.max(m, n), "||A - QR||/||A|| = " + rel);
    assertTrue(Norms.orthogonalityError(q) < 20 * u * m, "||QᵀQ - I||");
    return f;
  }

  /**
   * The F32 path (float storage, F32 trailing updates, double panels) against EJML's double QR of
   * the same float-rounded input: R row-signed within F32 rounding, and A = QR to F32 accuracy.
   */
  @ParameterizedTest
  @MethodSource("shapes")
  void singlePrecisionPathMatchesEjmlToF32Accuracy(int m, int n, int rank, int blockSize) {
    Matrix a = lowRank(m, n, rank, 7L * m + n).toDType(DType.F32);
    QrFactorization f = new HouseholderQr(Compute.reference(), new HouseholderQrOptions(blockSize)).factor(a);
    Matrix r = f.r();
    Matrix q = f.q();
    assertEquals(DType.F32, r.dtype());
    QRDecomposition<DMatrixRMaj> ejml = DecompositionFactory_DDRM.qr(m, n);
    assertTrue(ejml.decompose(new DMatrixRMaj(Norms.toArray(a))));
    DMatrixRMaj re = ejml.getR(null, true);
    double norm = Norms.frobenius(a);
    double u = DType.F32.unitRoundoff();
    double tol = 10 * u * Math.max(m, n) * norm;
    for (int i = 0; i < Math.min(m, n); i++) {
      double want = re.get(i, i);
      double s = Math.abs(want) > 1e-3 * norm ? Math.signum(want) * Math.signum(r.get(i, i)) : 0;
      for (int j = 0; j < n && s != 0; j++) {
        assertEquals(re.get(i, j), s * r.get(i, j), tol, "R(" + i + "," + j + ") at " + m + "x" + n);
      }
    }
    double rel = Norms.frobenius(Norms.minus(a, Norms.times(q, r))) / norm;
    assertTrue(rel < 20 * u * Math.max(m, n), "||A - QR||/||A|| = " + rel);
    assertTrue(Norms.orthogonalityError(q) < 20 * u * m, "||QᵀQ - I||");
  }

  /** Qᵀ·A = R and the least-squares solve go through the padded packed storage too. */
  @Test
  void applyQtAndSolveReadThePaddedStorage() {
    int m = 640;
    int n = 90;
    assertEquals(648, Householder.paddedLeadingDimension(m));
    Matrix a = lowRank(m, n, n, 5);
    QrFactorization f = new HouseholderQr(Compute.reference(), new HouseholderQrOptions(32)).factor(a);
    Matrix qta = f.applyQt(a);
    Matrix r = f.r();
    double norm = Norms.frobenius(a);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double want = i < n ? r.get(i, j) : 0;
        assertEquals(want, qta.get(i, j), 1e-12 * norm, "(QᵀA)(" + i + "," + j + ")");
      }
    }
    Matrix x = Matrix.zeros(DType.F64, n, 2);
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < x.f64().length; i++) {
      x.f64()[i] = rnd.nextGaussian();
    }
    Matrix solved = f.solve(Norms.times(a, x));
    assertTrue(Norms.maxAbs(Norms.minus(solved, x)) < 1e-9, "least-squares solve of an exact system");
  }

  /** The pivoted QRs' reduction (QrPreprocessing) also runs on the padded layout; Q = Q₁Q₂ reads it. */
  @Test
  void pivotedQrsAfterPaddedReductionReconstructA() {
    int m = 576;
    int n = 150;
    Matrix a = lowRank(m, n, 60, 3);
    PivotedQrFactorization[] fs = {
        new PivotedQr(Compute.reference(), PivotedQrOptions.defaults()).factor(a),
        new RandomizedPivotedQr(Compute.reference(), RandomizedPivotedQrOptions.defaults()).factor(a)};
    for (PivotedQrFactorization f : fs) {
      assertTrue(f.preprocessed());
      Matrix ap = Norms.columns(a, f.pivots());
      double rel = Norms.frobenius(Norms.minus(ap, Norms.times(f.q(), f.r()))) / Norms.frobenius(a);
      assertTrue(rel < 1e-12, "||A P - QR||/||A|| = " + rel);
      assertTrue(Norms.orthogonalityError(f.q()) < 1e-12, "||QᵀQ - I||");
    }
  }
}
