package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;

class InterpolativeDecompositionTest {
  static Stream<Arguments> rankCases() {
    return Stream.of(
        Arguments.of("lowrank_noise_f64", 5), Arguments.of("lowrank_noise_f64", 10), Arguments.of("lowrank_noise_f64", 15),
        Arguments.of("graded_f64", 4), Arguments.of("graded_f64", 8), Arguments.of("graded_f64", 16),
        Arguments.of("rankdef_f64", 6), Arguments.of("rankdef_f64", 12),
        Arguments.of("wide_f64", 4), Arguments.of("wide_f64", 8), Arguments.of("wide_f64", 12),
        Arguments.of("lowrank_noise_f32", 6), Arguments.of("lowrank_noise_f32", 12),
        Arguments.of("graded_f32", 4), Arguments.of("graded_f32", 8));
  }

  static double idError(InterpolativeDecompositionResult id, Matrix a) {
    return Norms.spectral(Norms.minus(a, id.reconstruct(Compute.reference(), a)));
  }

  @ParameterizedTest
  @MethodSource("rankCases")
  void columnIdErrorWithinTenPercentOfScipy(String name, int k) {
    Fixture fx = Fixture.load(name);
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = fx.matrix("A", dtype);
    InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(k)).columnId(a);
    assertEquals(k, id.rank());
    assertEquals(dtype, id.interpolation().dtype());
    double ours = idError(id, a);
    double scipy = fx.scalar("idErr2_" + k);
    // An absolute floor at the working precision: for exactly rank-deficient inputs both errors are rounding noise.
    double floor = 50 * dtype.unitRoundoff() * Norms.spectral(a);
    assertTrue(ours <= 1.1 * scipy + floor, name + " k=" + k + ": ours " + ours + " vs scipy.linalg.interpolative " + scipy);
    Matrix t = id.interpolation();
    int[] j = id.skeleton();
    for (int p = 0; p < k; p++) {
      for (int q = 0; q < k; q++) {
        assertEquals(p == q ? 1.0 : 0.0, t.get(p, j[q]), "T(:, J) must be the identity");
      }
    }
    if (dtype == DType.F64) {
      int[] want = fx.ints("idJ" + k).clone();
      int[] got = j.clone();
      Arrays.sort(want);
      Arrays.sort(got);
      assertArrayEquals(want, got, name + " k=" + k + ": skeleton vs scipy interp_decomp(rand=False)");
    }
  }

  @ParameterizedTest
  @MethodSource("rankCases")
  void rowIdIsColumnIdOfTranspose(String name, int k) {
    DType dtype = name.endsWith("f32") ? DType.F32 : DType.F64;
    Matrix a = Fixture.load(name).matrix("A", dtype);
    if (k > Math.min(a.rows(), a.cols())) {
      return;
    }
    InterpolativeDecomposition idc = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(k));
    InterpolativeDecompositionResult row = idc.rowId(a);
    InterpolativeDecompositionResult col = idc.columnId(a.transposeCopy());
    assertEquals(InterpolativeDecompositionResult.Kind.ROW, row.kind());
    assertArrayEquals(col.skeleton(), row.skeleton());
    assertEquals(a.rows(), row.interpolation().rows());
    double err = idError(row, a);
    double[] s = Norms.singularValues(a.toDType(DType.F64));
    // The ID bound ||A - X A(J,:)|| <= sqrt(1 + k(m-k)) sigma_{k+1} (Gu and Eisenstat), in practice far lower.
    double bound = Math.sqrt(1 + k * (a.rows() - k)) * (k < s.length ? s[k] : 0) + 50 * dtype.unitRoundoff() * s[0];
    assertTrue(err <= bound, name + " k=" + k + ": row ID error " + err + " > " + bound);
  }

  @Test
  void toleranceChoosesRankFromRelativeDiagonal() {
    for (String name : new String[] {"lowrank_noise_f64", "graded_f64", "wide_f64"}) {
      Fixture fx = Fixture.load(name);
      for (int t = 0; t < 2; t++) {
        InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), 
            InterpolativeDecompositionOptions.ofTolerance(fx.scalar("tol" + t))).columnId(fx.matrix("A", DType.F64));
        assertEquals((int) fx.scalar("tolRank" + t), id.rank(), name + " tol" + t);
        double[] d = id.rDiagonal();
        assertTrue(d[d.length - 1] > fx.scalar("tol" + t) * d[0]);
      }
    }
  }

  @Test
  void rankAboveNumericalRankStaysBoundedAndAccurate() {
    Matrix a = Fixture.load("rankdef_f64").matrix("A", DType.F64);  // exactly rank 12
    InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(24)).columnId(a);
    assertTrue(id.guardedPivots() > 0, "R11 beyond the numerical rank should hit the guard");
    double tmax = Norms.maxAbs(id.interpolation());
    assertTrue(Double.isFinite(tmax) && tmax < 1e3, "T stays bounded: max |T| = " + tmax);
    assertTrue(idError(id, a) < 1e-12 * Norms.spectral(a), "error " + idError(id, a));
  }

  @ParameterizedTest
  @EnumSource(value = SketchKind.class, names = {"GAUSSIAN", "COUNT_SKETCH", "SRHT"})
  void sketchedIdIsCloseToDeterministic(SketchKind kind) {
    Fixture fx = Fixture.load("lowrank_noise_f64");
    Matrix a = fx.matrix("A", DType.F64);
    for (int k : new int[] {10, 15}) {
      InterpolativeDecompositionResult id = new InterpolativeDecomposition(Compute.reference(), 
          InterpolativeDecompositionOptions.sketched(k, kind, 10, 7)).columnId(a);
      double err = idError(id, a);
      double ref = fx.scalar("idErr2_" + k);
      assertTrue(err < 10 * ref, kind + " k=" + k + ": sketched ID error " + err + " vs deterministic scipy " + ref);
      InterpolativeDecompositionResult again = new InterpolativeDecomposition(Compute.reference(), 
          InterpolativeDecompositionOptions.sketched(k, kind, 10, 7)).columnId(a);
      assertArrayEquals(id.skeleton(), again.skeleton(), "same seed, same skeleton");
    }
  }

  @Test
  void badInputNamesTheArgument() {
    InterpolativeDecomposition id = new InterpolativeDecomposition(Compute.reference(), InterpolativeDecompositionOptions.ofRank(3));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> id.columnId(Matrix.of(DType.F64, 2, 2, 1, 2, 3, 4)));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("rank = 3"), e.getMessage());
    Matrix nan = Matrix.zeros(DType.F32, 4, 4);
    nan.set(2, 3, Float.NaN);
    e = assertThrows(InvalidArgumentException.class, () -> id.rowId(nan));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("(2, 3)"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> id.columnId(Matrix.zeros(DType.F64, 3, 0)));
    assertThrows(InvalidArgumentException.class, () -> InterpolativeDecompositionOptions.ofTolerance(Double.NaN));
    assertThrows(InvalidArgumentException.class, () -> InterpolativeDecompositionOptions.ofRank(-1));
  }

  @Test
  void rowIdByToleranceMatchesRankOfTranspose() {
    Fixture fx = Fixture.load("wide_f64");
    Matrix a = fx.matrix("A", DType.F64);
    InterpolativeDecompositionResult row = new InterpolativeDecomposition(Compute.reference(), 
        InterpolativeDecompositionOptions.ofTolerance(1e-3)).rowId(a);
    // wide_f64 is rank 8 plus 1e-4 noise: the relative tolerance 1e-3 keeps exactly the 8 signal directions.
    assertEquals(8, row.rank());
    double err = idError(row, a);
    double[] s = fx.vector("sv");
    assertTrue(err < 10 * s[8], "row ID error " + err + " vs sigma_9 " + s[8]);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 32})
  void toleranceStopGivesTheSameIdAsTheEquivalentRank(int blockSize) {
    // The early stop leaves the panel's deferred trailing update unapplied; R(0:k, :) must still be exact.
    for (String name : new String[] {"lowrank_noise_f64", "graded_f64"}) {
      Fixture fx = Fixture.load(name);
      Matrix a = fx.matrix("A", DType.F64);
      double tol = fx.scalar("tol1");
      InterpolativeDecompositionResult byTol = new InterpolativeDecomposition(Compute.reference(), 
          new InterpolativeDecompositionOptions(0, tol, SketchKind.NONE, 0, 0, blockSize)).columnId(a);
      InterpolativeDecompositionResult byRank = new InterpolativeDecomposition(Compute.reference(), 
          new InterpolativeDecompositionOptions(byTol.rank(), 0, SketchKind.NONE, 0, 0, blockSize)).columnId(a);
      assertArrayEquals(byRank.skeleton(), byTol.skeleton());
      double diff = Norms.maxAbs(Norms.minus(byRank.interpolation(), byTol.interpolation()));
      assertTrue(diff < 1e-12 * Norms.maxAbs(byRank.interpolation()), name + ": T differs by " + diff);
    }
  }
}
