package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;

/**
 * The QRs give bit-identical results on 1, 2 and 3 threads of the multithreaded vector backend,
 * as its GEMMs do: the trailing updates' split products ({@link QrShapedGemm}) cut by shape only,
 * and the look-ahead panel ({@link PanelLookAhead}, an option, taken when the backend has two or
 * more threads) applies the same updates in the same order as the plain loop. The shapes cross the block and
 * split boundaries: n not a multiple of the block, m &lt; n, a rank-deficient A, and sizes where
 * W = CᵀV is cut into column items (≥ 128 trailing columns) and the update into row items
 * (≥ 1536 rows), with the padded leading dimension (m a multiple of 64).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HouseholderQrThreadCountTest {
  private final List<Compute> computes = new ArrayList<>();

  @BeforeAll
  void open() {
    for (int threads = 1; threads <= 3; threads++) {
      computes.add(Compute.open(BackendConfig.builder().backend("vector").strict(true).threads(threads).build()));
    }
  }

  @AfterAll
  void close() {
    computes.forEach(Compute::close);
  }

  @ParameterizedTest
  @CsvSource({
      "2100, 333, 333, 64, F64",   // 333 = 5·64 + 13; updates cut into row and column items
      "2112, 260, 90, 48, F64",    // padded (2112 = 33·64), rank 90, block 48
      "700, 1000, 700, 64, F64",   // wide: 700 reflectors, 300 columns right of them
      "1800, 200, 200, 32, F32"})  // the F32 path's updates (float storage, SGEMM) through the same cuts
  void householderQrIsBitIdenticalForOneTwoAndThreeThreads(int m, int n, int rank, int blockSize, DType dtype) {
    Matrix a = BlockedQrAgainstEjmlTest.lowRank(m, n, rank, 31L * m + n).toDType(dtype);
    HouseholderQrOptions options = new HouseholderQrOptions(blockSize);
    QrFactorization first = new HouseholderQr(computes.get(0), options).factor(a);
    Matrix r1 = first.r();
    Matrix q1 = first.q();
    double rel = Norms.frobenius(Norms.minus(a, Norms.times(q1, r1))) / Norms.frobenius(a);
    assertTrue(rel < 20 * dtype.unitRoundoff() * m, "||A - QR||/||A|| = " + rel);
    for (int t = 1; t < computes.size(); t++) {
      assertEquals(t + 1, computes.get(t).backend().hostThreads());
      for (boolean lookAhead : new boolean[] {false, true}) {
        QrFactorization f = new HouseholderQr(computes.get(t), new HouseholderQrOptions(blockSize, lookAhead)).factor(a);
        String where = (t + 1) + " threads, look-ahead " + lookAhead;
        assertBitIdentical(r1, f.r(), "R on " + where);
        assertBitIdentical(q1, f.q(), "Q on " + where);
      }
    }
  }

  /** The pivoted QRs' reduction A = Q₁R₁ runs the same blocked QR. */
  @ParameterizedTest
  @CsvSource({"2100, 300, 120", "1600, 200, 200"})
  void pivotedQrsAfterTheReductionAreBitIdenticalForOneTwoAndThreeThreads(int m, int n, int rank) {
    Matrix a = BlockedQrAgainstEjmlTest.lowRank(m, n, rank, 17L * m + n);
    PivotedQrFactorization p1 = new PivotedQr(computes.get(0), PivotedQrOptions.defaults()).factor(a);
    PivotedQrFactorization h1 = new RandomizedPivotedQr(computes.get(0), RandomizedPivotedQrOptions.defaults()).factor(a);
    assertTrue(p1.preprocessed() && h1.preprocessed());
    for (int t = 1; t < computes.size(); t++) {
      PivotedQrFactorization p = new PivotedQr(computes.get(t), PivotedQrOptions.defaults()).factor(a);
      PivotedQrFactorization h = new RandomizedPivotedQr(computes.get(t), RandomizedPivotedQrOptions.defaults()).factor(a);
      assertArrayEquals(p1.pivots(), p.pivots(), "PivotedQr pivots on " + (t + 1) + " threads");
      assertBitIdentical(p1.r(), p.r(), "PivotedQr R on " + (t + 1) + " threads");
      assertArrayEquals(h1.pivots(), h.pivots(), "HQRRP pivots on " + (t + 1) + " threads");
      assertBitIdentical(h1.r(), h.r(), "HQRRP R on " + (t + 1) + " threads");
    }
  }

  private static void assertBitIdentical(Matrix want, Matrix got, String what) {
    assertEquals(want.dtype(), got.dtype(), what);
    assertEquals(want.rows(), got.rows(), what);
    assertEquals(want.cols(), got.cols(), what);
    for (int i = 0; i < want.rows(); i++) {
      for (int j = 0; j < want.cols(); j++) {
        double x = want.get(i, j);
        double y = got.get(i, j);
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y)) {
          throw new AssertionError(what + ": (" + i + "," + j + ") " + x + " vs " + y);
        }
      }
    }
  }
}
