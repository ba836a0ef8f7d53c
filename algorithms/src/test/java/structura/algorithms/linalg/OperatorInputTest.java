package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * The linalg methods that need only products accept a {@link LinearOperator}: on a dense operator
 * they agree with the matrix path, and structured operators (Kronecker, low rank) are read
 * through products alone ({@link CountingOperator} fails on densification) at their structural
 * cost, checked against references computed from the factors with EJML.
 */
class OperatorInputTest {
  private static final Compute C = Compute.reference();

  /** Q·diag(s)·Wᵀ with Haar-like orthonormal Q (m×r), W (n×r) from QRs of Gaussian matrices. */
  static Matrix withSingularValues(int m, int n, double[] s, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    HouseholderQr qr = new HouseholderQr(C, HouseholderQrOptions.defaults());
    Matrix q = qr.factor(Sketches.gaussian(DType.F64, m, s.length, rnd, 1)).q();
    Matrix w = qr.factor(Sketches.gaussian(DType.F64, n, s.length, rnd, 1)).q();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < s.length; j++) {
        q.set(i, j, q.get(i, j) * s[j]);
      }
    }
    return Norms.times(q, Norms.transpose(w));
  }

  static double[] geometric(int r, double first, double ratio) {
    double[] s = new double[r];
    for (int i = 0; i < r; i++) {
      s[i] = first * Math.pow(ratio, i);
    }
    return s;
  }

  /** 64 singular values: {@code head}, then tail·0.5^i. */
  static double[] gapThenTail(double[] head, double tail) {
    double[] s = new double[64];
    for (int i = 0; i < 64; i++) {
      s[i] = i < head.length ? head[i] : tail * Math.pow(0.5, i - head.length);
    }
    return s;
  }

  /** The k largest products σ_i(A)·σ_j(B): the singular values of A⊗B. */
  static double[] kroneckerSingularValues(Matrix a, Matrix b, int k) {
    double[] sa = Norms.singularValues(a);
    double[] sb = Norms.singularValues(b);
    double[] all = new double[sa.length * sb.length];
    for (int i = 0; i < sa.length; i++) {
      for (int j = 0; j < sb.length; j++) {
        all[i * sb.length + j] = sa[i] * sb[j];
      }
    }
    Arrays.sort(all);
    double[] top = new double[k];
    for (int i = 0; i < k; i++) {
      top[i] = all[all.length - 1 - i];
    }
    return top;
  }

  static double maxRelative(double[] want, double[] got) {
    assertEquals(want.length, got.length);
    double e = 0;
    for (int i = 0; i < want.length; i++) {
      e = Math.max(e, Math.abs(got[i] - want[i]) / want[i]);
    }
    return e;
  }

  @Test
  void randomizedSvdOfADenseOperatorMatchesTheMatrixPath() {
    Matrix a = withSingularValues(300, 200, geometric(40, 1, 0.8), 1);
    RandomizedSvdOptions o = RandomizedSvdOptions.ofRank(12);
    SvdResult byMatrix = new RandomizedSvd(C, o).decompose(a);
    CountingOperator op = new CountingOperator(Operators.dense(a, C));
    SvdResult byOperator = new RandomizedSvd(C, o).decompose(op);
    assertTrue(maxRelative(byMatrix.singularValues(), byOperator.singularValues()) < 1e-12);
    double diff = Norms.frobenius(Norms.minus(SvdTest.usv(byMatrix), SvdTest.usv(byOperator)));
    assertTrue(diff < 1e-12 * Norms.frobenius(a), "rank-12 approximations differ by " + diff);
    // q = 2: the range sample and two power iterations use A, two power iterations and B = QᵀA use Aᵀ.
    assertEquals(3, op.applyCalls);
    assertEquals(3, op.applyTransposeCalls);
    assertEquals(6L * 22, op.vectors);
  }

  @Test
  void randomizedSvdOfAnF32OperatorStaysInF32() {
    Matrix a = withSingularValues(200, 120, geometric(30, 1, 0.7), 17).toDType(DType.F32);
    RandomizedSvdOptions o = RandomizedSvdOptions.ofRank(6);
    SvdResult byMatrix = new RandomizedSvd(C, o).decompose(a);
    SvdResult byOperator = new RandomizedSvd(C, o).decompose(new CountingOperator(Operators.dense(a, C)));
    assertEquals(DType.F32, byOperator.u().dtype());
    assertEquals(DType.F32, byOperator.vt().dtype());
    double rel = maxRelative(byMatrix.singularValues(), byOperator.singularValues());
    assertTrue(rel < 1e-5, "F32 singular values differ by " + rel);
    assertTrue(maxRelative(geometric(6, 1, 0.7), byOperator.singularValues()) < 1e-4);
  }

  @Test
  void randomizedSvdOfAKroneckerProductStaysStructured() {
    // 4096×4096 from two 64×64 factors; its dense form (128 MiB) is never built.
    // Three leading singular values per factor, then a tail below 2e-3: the nine leading products
    // (≥ 0.48) stand apart from the rest, which is what a rank-9 randomized SVD resolves to rounding.
    Matrix a = withSingularValues(64, 64, gapThenTail(new double[] {1, 0.9, 0.8}, 1e-3), 2);
    Matrix b = withSingularValues(64, 64, gapThenTail(new double[] {2, 1.2, 0.6}, 2e-3), 3);
    CountingOperator op = new CountingOperator(Operators.kronecker(Operators.dense(a, C), Operators.dense(b, C)));
    int k = 9;
    SvdResult r = new RandomizedSvd(C, RandomizedSvdOptions.ofRank(k)).decompose(op);
    double[] want = kroneckerSingularValues(a, b, k);
    double rel = maxRelative(want, r.singularValues());
    assertTrue(rel < 1e-10, "singular values of A⊗B off by " + rel);
    // Each singular pair satisfies (A⊗B)·v = σ·u, checked through the operator's own product.
    Matrix av = op.apply(Norms.transpose(r.vt()));
    Matrix u = r.u();
    double[] sigma = r.singularValues();
    double worst = 0;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < av.rows(); i++) {
        worst = Math.max(worst, Math.abs(av.get(i, j) - sigma[j] * u.get(i, j)));
      }
    }
    assertTrue(worst < 1e-10 * want[0], "residual of the singular pairs " + worst);
    // Structural cost: 2q + 2 = 6 block products of k + p = 19 vectors (plus the check above).
    assertEquals(6L * 19 + k, op.vectors);
  }

  @Test
  void randomizedSvdOfALowRankOperatorRecoversItsSpectrum() {
    SplittableRandom rnd = new SplittableRandom(4);
    HouseholderQr qr = new HouseholderQr(C, HouseholderQrOptions.defaults());
    Matrix u = qr.factor(Sketches.gaussian(DType.F64, 2000, 5, rnd, 1)).q();
    Matrix v = qr.factor(Sketches.gaussian(DType.F64, 1500, 5, rnd, 1)).q();
    double[] s = {9, 4, 3, 0.5, 0.25};
    CountingOperator op = new CountingOperator(Operators.lowRank(u, s, v, C));
    SvdResult r = new RandomizedSvd(C, new RandomizedSvdOptions(5, 5, 0, 9)).decompose(op);
    assertTrue(maxRelative(s, r.singularValues()) < 1e-12, Arrays.toString(r.singularValues()));
    assertEquals(2L * 10, op.vectors);
  }

  @Test
  void randomizedSvdRejectsAnOperatorWithNonFiniteProducts() {
    Matrix a = withSingularValues(30, 20, geometric(5, 1, 0.5), 5);
    a.set(3, 4, Double.NaN);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new RandomizedSvd(C, RandomizedSvdOptions.ofRank(3)).decompose(new CountingOperator(Operators.dense(a, C))));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
  }

  @ParameterizedTest
  @EnumSource(value = SketchKind.class, names = {"GAUSSIAN", "COUNT_SKETCH", "SRHT"})
  void sketchedIdOfADenseOperatorMatchesTheMatrixPath(SketchKind kind) {
    // 150 rows: the SRHT pads to 256, so the explicit Sᵀ must reproduce the padded transform.
    Matrix a = withSingularValues(150, 90, geometric(30, 1, 0.6), 6);
    InterpolativeDecompositionOptions o = InterpolativeDecompositionOptions.sketched(12, kind, 10, 17);
    InterpolativeDecomposition id = new InterpolativeDecomposition(C, o);
    for (boolean row : new boolean[] {false, true}) {
      InterpolativeDecompositionResult byMatrix = row ? id.rowId(a) : id.columnId(a);
      CountingOperator op = new CountingOperator(Operators.dense(a, C));
      InterpolativeDecompositionResult byOperator = row ? id.rowId(op) : id.columnId(op);
      assertEquals(byMatrix.kind(), byOperator.kind());
      assertArrayEquals(byMatrix.skeleton(), byOperator.skeleton(), kind + " row=" + row);
      double diff = Norms.maxAbs(Norms.minus(byMatrix.interpolation(), byOperator.interpolation()));
      assertTrue(diff < 1e-10, kind + " row=" + row + ": interpolation differs by " + diff);
      assertEquals(1, op.applyCalls + op.applyTransposeCalls);
      assertEquals(22, op.vectors);
    }
  }

  @Test
  void idOfAWideOperatorWithoutRoomToSketchReadsItsRows() {
    // s = k + p = 18 ≥ m = 15: the "sketch" is A itself, read through Aᵀ·I.
    Matrix a = withSingularValues(15, 40, geometric(15, 1, 0.5), 7);
    InterpolativeDecompositionOptions o = InterpolativeDecompositionOptions.sketched(8, SketchKind.GAUSSIAN, 10, 1);
    InterpolativeDecomposition id = new InterpolativeDecomposition(C, o);
    InterpolativeDecompositionResult byMatrix = id.columnId(a);
    InterpolativeDecompositionResult byOperator = id.columnId(new CountingOperator(Operators.dense(a, C)));
    assertArrayEquals(byMatrix.skeleton(), byOperator.skeleton());
    assertTrue(Norms.maxAbs(Norms.minus(byMatrix.interpolation(), byOperator.interpolation())) < 1e-12);
  }

  @Test
  void sketchedIdOfALowRankKroneckerOperatorIsExact() {
    // rank(A⊗B) = 3·4 = 12: a rank-12 ID reproduces the 4096×4096 operator to rounding.
    Matrix a = withSingularValues(64, 64, new double[] {3, 2, 1}, 8);
    Matrix b = withSingularValues(64, 64, new double[] {1, 0.5, 0.3, 0.2}, 9);
    CountingOperator op = new CountingOperator(Operators.kronecker(Operators.dense(a, C), Operators.dense(b, C)));
    InterpolativeDecompositionResult id = new InterpolativeDecomposition(C,
        InterpolativeDecompositionOptions.sketched(12, SketchKind.GAUSSIAN, 8, 3)).columnId(op);
    assertEquals(20, op.vectors);
    assertEquals(12, id.rank());
    // A·X against A(:, J)·(T·X) on random probes X, all through the operator's products.
    Matrix x = Sketches.gaussian(DType.F64, 4096, 4, new SplittableRandom(10), 1);
    Matrix want = op.apply(x);
    Matrix skeleton = op.apply(unitColumns(4096, id.skeleton()));
    Matrix got = Norms.times(skeleton, Norms.times(id.interpolation(), x));
    double rel = Norms.frobenius(Norms.minus(want, got)) / Norms.frobenius(want);
    assertTrue(rel < 1e-10, "ID of A⊗B: relative error " + rel);
  }

  @Test
  void idOfAnOperatorNeedsASketch() {
    Matrix a = withSingularValues(30, 20, geometric(5, 1, 0.5), 11);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new InterpolativeDecomposition(C, InterpolativeDecompositionOptions.ofRank(3))
            .columnId(new CountingOperator(Operators.dense(a, C))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @ParameterizedTest
  @EnumSource(value = NystromOptions.Selection.class, names = {"UNIFORM", "PIVOTED_CHOLESKY"})
  void nystromOfADenseOperatorMatchesTheMatrixPath(NystromOptions.Selection selection) {
    Matrix g = withSingularValues(130, 60, geometric(60, 1, 0.85), 12);
    Matrix k = Norms.times(g, Norms.transpose(g));
    NystromOptions o = new NystromOptions(15, selection, 1e-2, 4);
    NystromResult byMatrix = new NystromApproximation(C, o).approximate(k);
    CountingOperator op = new CountingOperator(Operators.dense(k, C));
    NystromResult byOperator = new NystromApproximation(C, o).approximate(op);
    assertArrayEquals(byMatrix.landmarks(), byOperator.landmarks());
    double diff = Norms.maxAbs(Norms.minus(byMatrix.factor(), byOperator.factor()));
    assertTrue(diff < 1e-12, selection + ": factors differ by " + diff);
    // Uniform: one product with the 15 landmark vectors; pivoted Cholesky: the diagonal in
    // blocks of 64 unit vectors (130 in all) and one product per pivot.
    assertEquals(selection == NystromOptions.Selection.UNIFORM ? 15 : 130 + 15, op.vectors);
  }

  @Test
  void nystromOfAnOperatorRejectsRidgeLeverage() {
    Matrix k = Matrix.identity(DType.F64, 20);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new NystromApproximation(C, NystromOptions.of(5, NystromOptions.Selection.RIDGE_LEVERAGE))
            .approximate(new CountingOperator(Operators.dense(k, C))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void sketchedCurOfADenseOperatorMatchesTheMatrixPath() {
    Matrix a = withSingularValues(160, 110, geometric(25, 1, 0.5), 13);
    CurOptions o = CurOptions.sketched(10, SketchKind.GAUSSIAN, 10, 5);
    CurResult byMatrix = new CurDecomposition(C, o).decompose(a);
    CountingOperator op = new CountingOperator(Operators.dense(a, C));
    CurResult byOperator = new CurDecomposition(C, o).decompose(op);
    assertArrayEquals(byMatrix.columnIndices(), byOperator.columnIndices());
    assertArrayEquals(byMatrix.rowIndices(), byOperator.rowIndices());
    double diff = Norms.maxAbs(Norms.minus(byMatrix.u(), byOperator.u()));
    assertTrue(diff < 1e-8 * Norms.maxAbs(byMatrix.u()), "U differs by " + diff);
    // The sketch (20 vectors), then C and R (10 each).
    assertEquals(3, op.applyCalls + op.applyTransposeCalls);
    assertEquals(40, op.vectors);
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(InvalidArgumentException.class,
        () -> new CurDecomposition(C, CurOptions.ofRank(10)).decompose(op)).code());
  }

  @Test
  void sketchedCurOfALowRankKroneckerOperatorIsExact() {
    Matrix a = withSingularValues(64, 64, new double[] {3, 2, 1}, 14);
    Matrix b = withSingularValues(64, 64, new double[] {1, 0.5}, 15);
    CountingOperator op = new CountingOperator(Operators.kronecker(Operators.dense(a, C), Operators.dense(b, C)));
    CurResult cur = new CurDecomposition(C, CurOptions.sketched(6, SketchKind.GAUSSIAN, 8, 2)).decompose(op);
    assertEquals(14 + 6 + 6, op.vectors);
    Matrix x = Sketches.gaussian(DType.F64, 4096, 3, new SplittableRandom(16), 1);
    Matrix want = op.apply(x);
    Matrix got = Norms.times(cur.c(), Norms.times(cur.u(), Norms.times(cur.r(), x)));
    double rel = Norms.frobenius(Norms.minus(want, got)) / Norms.frobenius(want);
    assertTrue(rel < 1e-10, "CUR of A⊗B: relative error " + rel);
  }

  private static Matrix unitColumns(int n, int[] j) {
    Matrix e = Matrix.zeros(DType.F64, n, j.length);
    for (int q = 0; q < j.length; q++) {
      e.set(j[q], q, 1);
    }
    return e;
  }
}
