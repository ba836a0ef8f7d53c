package structura.algorithms.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.backend.Compute;

class CholeskyTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64})
  void factorMatchesNumpyCholesky(int blockSize) {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix l = new Cholesky(Compute.reference(), new CholeskyOptions(blockSize)).factor(fx.matrix("Kreg", DType.F64));
    Matrix want = fx.matrix("Lreg", DType.F64);
    double err = Norms.maxAbs(Norms.minus(l, want));
    assertTrue(err < 1e-10, "max |L - numpy L| = " + err);
    assertEquals(0.0, l.get(3, 10));
  }

  @Test
  void solveMatchesScipySolve() {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix x = new Cholesky(Compute.reference(), new CholeskyOptions(16)).solve(fx.matrix("Kreg", DType.F64), fx.matrix("b", DType.F64));
    Matrix want = fx.matrix("xreg", DType.F64);
    double err = Norms.maxAbs(Norms.minus(x, want)) / Norms.maxAbs(want);
    assertTrue(err < 1e-8, "relative error vs scipy.linalg.solve(assume_a='pos'): " + err);
  }

  @Test
  void indefiniteMatrixIsANumericalFailure() {
    Matrix a = Matrix.of(DType.F64, 2, 2, 1, 2, 2, 1);
    NumericalFailureException e = assertThrows(NumericalFailureException.class, () -> new Cholesky(Compute.reference(), CholeskyOptions.defaults()).factor(a));
    assertEquals(ErrorCode.NUMERICAL_FAILURE, e.code());
    assertTrue(e.getMessage().contains("pivot 1"), e.getMessage());
  }

  @Test
  void pivotedCholeskyTraceStopAndPivotsAgreeWithDenseReference() {
    Fixture fx = Fixture.load("psd_kernel_f64");
    Matrix k = fx.matrix("K", DType.F64);
    double[] eig = fx.vector("eig");
    PivotedCholeskyResult r = new PivotedCholesky(Compute.reference(), PivotedCholeskyOptions.ofTraceTolerance(1e-6)).factor(k);
    double trace = 0;
    for (int i = 0; i < k.rows(); i++) {
      trace += k.get(i, i);
    }
    Matrix resid = Norms.minus(k, Norms.times(r.l(), Norms.transpose(r.l())));
    double residTrace = 0;
    for (int i = 0; i < k.rows(); i++) {
      residTrace += resid.get(i, i);
    }
    assertTrue(residTrace <= 1e-6 * trace * (1 + 1e-9), "residual trace " + residTrace);
    assertEquals(residTrace, r.residualTrace(), 1e-10 * trace);
    // The best rank-k approximation leaves the tail of the eigenvalues; pivoted Cholesky cannot beat it.
    double tail = 0;
    for (int i = r.rank(); i < eig.length; i++) {
      tail += Math.max(eig[i], 0);
    }
    assertTrue(residTrace >= tail * (1 - 1e-6), "residual trace below the optimal " + tail);
    // First pivot is the largest diagonal entry; all diagonals of a Gaussian kernel are 1, so it is index 0.
    assertEquals(0, r.pivots()[0]);
    // Interpolation property: the residual vanishes on the selected rows and columns.
    for (int p : r.pivots()) {
      assertTrue(Math.abs(resid.get(p, p)) < 1e-12);
    }
  }

  @Test
  void pivotedCholeskyRankStop() {
    Matrix k = Fixture.load("psd_kernel_f64").matrix("K", DType.F32);
    PivotedCholeskyResult r = new PivotedCholesky(Compute.reference(), PivotedCholeskyOptions.ofRank(5)).factor(k);
    assertEquals(5, r.rank());
    assertEquals(DType.F32, r.l().dtype());
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(structura.api.InvalidArgumentException.class,
        () -> new PivotedCholesky(Compute.reference(), PivotedCholeskyOptions.ofRank(81)).factor(k)).code());
  }

  @Test
  void ridgeMatchesNumpy() {
    Fixture fx = Fixture.load("lstsq_f64");
    Matrix x = new LeastSquares(Compute.reference()).ridge(fx.matrix("A", DType.F64), fx.matrix("B", DType.F64), fx.scalar("lambda"));
    Matrix want = fx.matrix("Xridge", DType.F64);
    double err = Norms.maxAbs(Norms.minus(x, want)) / Norms.maxAbs(want);
    assertTrue(err < 1e-12, "relative difference to numpy ridge solve: " + err);
    Matrix ls = new LeastSquares(Compute.reference()).solve(fx.matrix("A", DType.F64), fx.matrix("B", DType.F64));
    assertTrue(Norms.maxAbs(Norms.minus(ls, fx.matrix("X", DType.F64))) < 1e-12);
  }

  @Test
  void implicitPivotedCholeskyMatchesDenseAndReadsOnlyPivotColumns() {
    Matrix k = Fixture.load("psd_kernel_f64").matrix("K", DType.F64);
    int n = k.rows();
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = k.get(i, i);
    }
    java.util.List<Integer> requested = new java.util.ArrayList<>();
    PivotedCholesky pc = new PivotedCholesky(Compute.reference(), PivotedCholeskyOptions.ofRank(9));
    PivotedCholeskyResult implicit = pc.factor(n, j -> {
      requested.add(j);
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = k.get(i, j);
      }
      return c;
    }, diag, DType.F64);
    PivotedCholeskyResult dense = pc.factor(k);
    org.junit.jupiter.api.Assertions.assertArrayEquals(dense.pivots(), implicit.pivots());
    assertEquals(9, requested.size(), "one column per pivot");
    assertTrue(Norms.maxAbs(Norms.minus(dense.l(), implicit.l())) == 0.0);
    diag[3] = -1;
    assertEquals(ErrorCode.INVALID_INPUT, assertThrows(structura.api.InvalidArgumentException.class,
        () -> pc.factor(n, j -> new double[n], diag, DType.F64)).code());
  }

  @Test
  void blockedPivotedCholeskyMatchesTheUnblockedStepsAcrossPanels() {
    // Panels of 8 pivots: 5 level-3 updates of the residual before rank 45; the implicit route
    // (one panel, every column updated by all earlier ones) is the unblocked reference.
    Matrix k = Fixture.load("psd_kernel_f64").matrix("K", DType.F64);
    int n = k.rows();
    int rank = Math.min(45, n);
    double[] diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = k.get(i, i);
    }
    PivotedCholesky blocked = new PivotedCholesky(Compute.reference(), new PivotedCholeskyOptions(rank, 0, 1e-14, 8));
    PivotedCholeskyResult b = blocked.factor(k);
    PivotedCholeskyResult u = blocked.factor(n, j -> {
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = k.get(i, j);
      }
      return c;
    }, diag, DType.F64);
    assertTrue(b.rank() > 8, "rank " + b.rank() + " does not cross a panel");
    org.junit.jupiter.api.Assertions.assertArrayEquals(u.pivots(), b.pivots());
    assertTrue(Norms.maxAbs(Norms.minus(u.l(), b.l())) < 1e-12, "blocked and unblocked L differ");
    // In place: the same factorization, with the copy serving as the residual's storage.
    Matrix work = k.copy();
    PivotedCholeskyResult p = blocked.factorInPlace(work);
    org.junit.jupiter.api.Assertions.assertArrayEquals(b.pivots(), p.pivots());
    assertTrue(Norms.maxAbs(Norms.minus(b.l(), p.l())) == 0.0);
    // Lᵀ and the pivot diagonals describe the same L.
    Matrix lt = b.lTransposedF64();
    double[] pd = b.pivotDiagonals();
    for (int j = 0; j < b.rank(); j++) {
      assertEquals(b.l().get(b.pivots()[j], j), lt.get(j, b.pivots()[j]));
      assertEquals(Math.sqrt(pd[j]), lt.get(j, b.pivots()[j]), 1e-15);
    }
    double residual = 0;
    Matrix r = Norms.minus(k, Norms.times(b.l(), Norms.transpose(b.l())));
    for (int i = 0; i < n; i++) {
      residual += r.get(i, i);
    }
    assertEquals(residual, b.residualTrace(), 1e-10 * b.trace());
  }

  @Test
  void pivotToleranceStopsAtTheNumericalRank() {
    // K = G·Gᵀ of exact rank 6: the residual diagonal after 6 pivots is rounding, far below
    // 1e-12·max K(i, i), while 1e-12 is above it.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    Matrix g = Sketches.gaussian(DType.F64, 90, 6, rnd, 1);
    Matrix k = Norms.times(g, Norms.transpose(g));
    PivotedCholeskyResult r = new PivotedCholesky(Compute.reference(), new PivotedCholeskyOptions(0, 0, 1e-12, 4)).factor(k);
    assertEquals(6, r.rank());
    PivotedCholeskyResult all = new PivotedCholesky(Compute.reference(), new PivotedCholeskyOptions(0, 0, 0, 4)).factor(k);
    assertTrue(all.rank() > 6, "without a pivot tolerance rounding-level pivots are taken: rank " + all.rank());
  }

  @Test
  void pivotedCholeskyBreaksExactTiesByTheLowestIndexAcrossPanels() {
    // Rows 40..59 of G repeat rows 0..19, so K = G·Gᵀ has exactly equal diagonals (and residual
    // diagonals) for each pair: the greedy choice takes the lower index, and its twin's residual
    // becomes zero. Panels of 4 pivots: the rows are swapped to the front 12 times across three
    // panel updates, so a tie-break by position rather than by index would show here.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    Matrix g = Sketches.gaussian(DType.F64, 60, 12, rnd, 1);
    for (int i = 40; i < 60; i++) {
      for (int j = 0; j < 12; j++) {
        g.set(i, j, g.get(i - 40, j));
      }
    }
    Matrix k = Norms.times(g, Norms.transpose(g));
    PivotedCholeskyResult r = new PivotedCholesky(Compute.reference(), new PivotedCholeskyOptions(12, 0, 0, 4))
        .factor(k);
    assertEquals(12, r.rank());
    for (int p : r.pivots()) {
      assertTrue(p < 40, "pivot " + p + " chosen over its lower-index twin " + (p - 40));
    }
    double[] diag = new double[60];
    for (int i = 0; i < 60; i++) {
      diag[i] = k.get(i, i);
    }
    PivotedCholeskyResult implicit = new PivotedCholesky(Compute.reference(), new PivotedCholeskyOptions(12, 0, 0, 4))
        .factor(60, j -> {
          double[] c = new double[60];
          for (int i = 0; i < 60; i++) {
            c[i] = k.get(i, j);
          }
          return c;
        }, diag, DType.F64);
    org.junit.jupiter.api.Assertions.assertArrayEquals(implicit.pivots(), r.pivots());
  }

  @Test
  void pivotedCholeskyOnTheVectorBackendIsTheSameOnOneAndTwoThreadsAndMatchesTheReference() {
    // n = 300, rank 150 in panels of 16: nine level-3 updates of the trailing upper triangle (two
    // row blocks of the update each at first), in place and not.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    Matrix x = Sketches.gaussian(DType.F64, 600, 300, rnd, 1);
    for (int j = 0; j < 300; j++) {
      double scale = Math.pow(1 + (j * 37) % 300, -0.75);
      for (int i = 0; i < 600; i++) {
        x.set(i, j, x.get(i, j) * scale);
      }
    }
    Matrix a = Norms.times(Norms.transpose(x), x);
    PivotedCholeskyOptions options = new PivotedCholeskyOptions(150, 0, 0, 16);
    PivotedCholeskyResult reference = new PivotedCholesky(Compute.reference(), options).factor(a);
    PivotedCholeskyResult[] vector = new PivotedCholeskyResult[2];
    for (int t = 1; t <= 2; t++) {
      try (Compute c = Compute.open(structura.api.backend.BackendConfig.builder().backend("vector").strict(true)
          .threads(t).build())) {
        vector[t - 1] = new PivotedCholesky(c, options).factor(a);
        PivotedCholeskyResult inPlace = new PivotedCholesky(c, options).factorInPlace(a.copy());
        org.junit.jupiter.api.Assertions.assertArrayEquals(vector[t - 1].pivots(), inPlace.pivots());
        assertEquals(0.0, Norms.maxAbs(Norms.minus(vector[t - 1].l(), inPlace.l())));
      }
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(vector[0].pivots(), vector[1].pivots());
    assertEquals(0.0, Norms.maxAbs(Norms.minus(vector[0].l(), vector[1].l())), "1 and 2 threads differ");
    org.junit.jupiter.api.Assertions.assertArrayEquals(reference.pivots(), vector[0].pivots());
    double scale = Norms.maxAbs(reference.l());
    assertTrue(Norms.maxAbs(Norms.minus(reference.l(), vector[0].l())) < 1e-12 * scale, "vector and reference L differ");
    assertEquals(reference.residualTrace(), vector[0].residualTrace(), 1e-10 * reference.trace());
  }

  /**
   * n = 1100: outer panels of 256 (four full, one of 76) and, in steps of 64 or 48, inner steps
   * that end at the panel's edge or before it; ragged row blocks of the trailing update (256 and
   * a remainder). Against an independent reference (L·Lᵀ = A, and the unblocked factor of the
   * reference backend), on the vector backend with 1 and 2 threads.
   */
  @ParameterizedTest
  @ValueSource(ints = {64, 48})
  void blockedFactorOnTheVectorBackendReconstructsAAndIsTheSameOnOneAndTwoThreads(int blockSize) {
    int n = 1100;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(blockSize);
    Matrix x = Sketches.gaussian(DType.F64, 2 * n, n, rnd, 1);
    Matrix a = Norms.times(Norms.transpose(x), x);
    Matrix unblocked = new Cholesky(Compute.reference(), new CholeskyOptions(n)).factor(a);
    Matrix[] l = new Matrix[2];
    for (int t = 1; t <= 2; t++) {
      try (Compute c = Compute.open(structura.api.backend.BackendConfig.builder().backend("vector").strict(true)
          .threads(t).build())) {
        l[t - 1] = new Cholesky(c, new CholeskyOptions(blockSize)).factor(a);
      }
    }
    assertEquals(0.0, Norms.maxAbs(Norms.minus(l[0], l[1])), "1 and 2 threads differ");
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        assertEquals(0.0, l[0].get(i, j), "upper triangle at " + i + ", " + j);
      }
    }
    double scale = Norms.maxAbs(a);
    double reconstruction = Norms.maxAbs(Norms.minus(Norms.times(l[0], Norms.transpose(l[0])), a)) / scale;
    assertTrue(reconstruction < 1e-13, "max |L·Lᵀ − A| / max |A| = " + reconstruction);
    double againstUnblocked = Norms.maxAbs(Norms.minus(l[0], unblocked)) / Norms.maxAbs(unblocked);
    assertTrue(againstUnblocked < 1e-12, "blocked against the one-panel factor: " + againstUnblocked);
  }

  @Test
  void aFailingPivotInALaterOuterPanelIsNamed() {
    int n = 600;
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    Matrix x = Sketches.gaussian(DType.F64, 2 * n, n, rnd, 1);
    Matrix a = Norms.times(Norms.transpose(x), x);
    // row and column 530 a copy of 20's: singular, the pivot at 530 (outer panel 3) is zero up to rounding
    for (int i = 0; i < n; i++) {
      a.set(530, i, a.get(20, i));
      a.set(i, 530, a.get(i, 20));
    }
    a.set(530, 530, a.get(20, 20));
    NumericalFailureException e = assertThrows(NumericalFailureException.class,
        () -> new Cholesky(Compute.reference(), CholeskyOptions.defaults()).factor(a));
    assertTrue(e.getMessage().contains("pivot 530"), e.getMessage());
  }
}
