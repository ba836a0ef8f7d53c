package structura.algorithms.kernel.fkt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;

/** The FMM path of the FKT (q > 0, d ≤ 3) against dense products, and its pieces against direct evaluation. */
class FastKernelTransformFmmTest {

  /** K·V with K_ij = exp(−‖x_i − x_j‖²/(2ℓ²)) formed entry by entry and multiplied by EJML. */
  private static Matrix denseGaussianProduct(Matrix x, double lengthscale, Matrix v) {
    int n = x.rows();
    DMatrixRMaj k = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double r2 = 0;
        for (int t = 0; t < x.cols(); t++) {
          double u = x.get(i, t) - x.get(j, t);
          r2 += u * u;
        }
        k.set(i, j, Math.exp(-r2 / (2 * lengthscale * lengthscale)));
      }
    }
    DMatrixRMaj vv = new DMatrixRMaj(n, v.cols());
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < v.cols(); c++) {
        vv.set(i, c, v.get(i, c));
      }
    }
    DMatrixRMaj out = new DMatrixRMaj(n, v.cols());
    CommonOps_DDRM.mult(k, vv, out);
    Matrix y = Matrix.zeros(DType.F64, n, v.cols());
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < v.cols(); c++) {
        y.set(i, c, out.get(i, c));
      }
    }
    return y;
  }

  private static FktOptions fmm(int p, int q, int leaf) {
    return FktOptions.ofOrder(p).withLeafSize(leaf).withInterpolationOrder(q).withThreads(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"uniform", "mixture"})
  void matchesTheDenseProduct(String distribution) {
    double l = 0.3;
    Matrix x = FastKernelTransformTest.points(distribution, 3000, 3, 5);
    Matrix v = FastKernelTransformTest.vectors(3000, 2, 6);
    Matrix want = denseGaussianProduct(x, l, v);
    FastKernelTransform f = FastKernelTransform.factor(KernelFunction.isotropic(Kind.GAUSSIAN, l, 1), x, fmm(8, 6, 32));
    double far = 3000.0 * 3000 - f.directEntries();
    assertTrue(far > 0.5 * 3000.0 * 3000, distribution + ": only " + far + " entries through translations");
    assertTrue(f.expandedPairs() > 1000, distribution + " M2L pairs " + f.expandedPairs());
    double err = FastKernelTransformTest.relativeError(want, f.apply(v));
    assertTrue(err < 1e-5, distribution + " relative error " + err);
  }

  @Test
  void errorFallsWithTheOrderAndTheGridAndReachesOneInAMillion() {
    double l = 0.5;
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, l, 1);
    Matrix x = FastKernelTransformTest.points("uniform", 2000, 3, 3);
    Matrix v = FastKernelTransformTest.vectors(2000, 1, 4);
    Matrix want = denseGaussianProduct(x, l, v);
    StringBuilder history = new StringBuilder();
    double previous = Double.POSITIVE_INFINITY;
    for (int p = 4; p <= 10; p += 2) {  // fine grid: the truncation order limits the error
      double err = FastKernelTransformTest.relativeError(want, FastKernelTransform.factor(k, x, fmm(p, 8, 32)).apply(v));
      history.append(String.format(" p=%d q=8: %.2e", p, err));
      assertTrue(err < previous / 10, history.toString());
      previous = err;
    }
    previous = Double.POSITIVE_INFINITY;
    for (int q = 4; q <= 8; q += 2) {  // high order: the grid limits the error
      double err = FastKernelTransformTest.relativeError(want, FastKernelTransform.factor(k, x, fmm(10, q, 32)).apply(v));
      history.append(String.format(" p=10 q=%d: %.2e", q, err));
      assertTrue(err < previous / 10, history.toString());
      previous = err;
    }
    assertTrue(previous <= 1e-6, history.toString());
    double documented = FastKernelTransformTest.relativeError(want, FastKernelTransform.factor(k, x, fmm(8, 6, 32)).apply(v));
    assertTrue(documented <= 1e-6, "p=8 q=6: " + documented);
  }

  @Test
  void otherDimensionsKernelsAndNoise() {
    KernelFunction k = KernelFunction.isotropic(Kind.MATERN_52, 0.3, 1.5);
    for (int d = 1; d <= 2; d++) {
      Matrix x = FastKernelTransformTest.points("mixture", 2500, d, 7 + d);
      Matrix v = FastKernelTransformTest.vectors(2500, 1, 8);
      Matrix want = KernelOperator.symmetric(k, x, Compute.reference()).apply(v);
      FastKernelTransform f = FastKernelTransform.factor(k, x, fmm(10, 10, 32));
      assertTrue(f.expandedPairs() > 100, "d=" + d + " M2L pairs " + f.expandedPairs());
      double err = FastKernelTransformTest.relativeError(want, f.apply(v));
      assertTrue(err < 1e-6, "d=" + d + " Matérn 5/2 relative error " + err);
      Matrix noisy = f.withNoise(0.25).apply(v);
      Matrix plain = f.apply(v);
      for (int i = 0; i < 2500; i++) {
        assertEquals(plain.get(i, 0) + 0.25 * v.get(i, 0), noisy.get(i, 0), 1e-12);
      }
    }
    // duplicated points: a stack of boxes down to the deepest level, still exact where it is direct
    Matrix dup = FastKernelTransformTest.points("uniform", 1200, 3, 15);
    for (int i = 0; i < 400; i++) {
      for (int t = 0; t < 3; t++) {
        dup.set(i, t, 0.3 + 1e-3 * t);
      }
    }
    Matrix vd = FastKernelTransformTest.vectors(1200, 1, 16);
    Matrix wantDup = KernelOperator.symmetric(k, dup, Compute.reference()).apply(vd);
    FastKernelTransform fd = FastKernelTransform.factor(k, dup, fmm(10, 10, 8));
    assertTrue(fd.depth() == FmmOctree.MAX_LEVEL, "depth " + fd.depth());
    double errDup = FastKernelTransformTest.relativeError(wantDup, fd.apply(vd));
    assertTrue(errDup < 1e-6, "duplicates error " + errDup);
    // d = 4 is beyond the FMM path: the automatic q (-1) takes the treecode, still accurately
    Matrix x4 = FastKernelTransformTest.points("uniform", 1500, 4, 9);
    Matrix v4 = FastKernelTransformTest.vectors(1500, 1, 10);
    KernelFunction g = KernelFunction.isotropic(Kind.GAUSSIAN, 0.4, 1);
    Matrix want4 = KernelOperator.symmetric(g, x4, Compute.reference()).apply(v4);
    double err4 = FastKernelTransformTest.relativeError(want4, FastKernelTransform.factor(g, x4,
        fmm(10, 6, 64).withSeparation(0.3).withInterpolationOrder(FktOptions.AUTOMATIC_INTERPOLATION_ORDER)).apply(v4));
    assertTrue(err4 < 1e-5, "d=4 treecode error " + err4);
  }

  @Test
  void theResultDoesNotDependOnTheThreadCount() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.2, 1);
    Matrix x = FastKernelTransformTest.points("mixture", 4000, 3, 11);
    Matrix v = FastKernelTransformTest.vectors(4000, 3, 12);
    Matrix one = FastKernelTransform.factor(k, x, fmm(6, 5, 32).withThreads(1)).apply(v);
    Matrix three = FastKernelTransform.factor(k, x, fmm(6, 5, 32).withThreads(3)).apply(v);
    assertArrayEquals(one.f64(), three.f64());
  }

  /** FktOptions.defaults(): the FMM path at tolerance 1e-4 (leaf 64) for d ≤ 3, the treecode (leaf 256) beyond. */
  @Test
  void theDefaultsRunTheToleranceDrivenFmmPathUpToThreeDimensions() {
    FktOptions defaults = FktOptions.defaults();
    assertEquals(64, defaults.leafSizeFor(true));
    assertEquals(256, defaults.leafSizeFor(false));
    assertEquals(32, defaults.withLeafSize(32).leafSizeFor(false));
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.2, 1);
    Matrix x = FastKernelTransformTest.points("mixture", 3000, 3, 41);
    Matrix v = FastKernelTransformTest.vectors(3000, 1, 42);
    FastKernelTransform f = FastKernelTransform.factor(k, x, defaults);
    assertTrue(!f.levelOrders().isEmpty() && f.expandedPairs() > 1000, f.levelOrders());
    double err = FastKernelTransformTest.relativeError(denseGaussianProduct(x, 0.2, v), f.apply(v));
    assertTrue(err <= 1e-4 && err > 0, "relative error " + err);
    FastKernelTransform four = FastKernelTransform.factor(KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1),
        FastKernelTransformTest.points("uniform", 600, 4, 43), defaults);
    assertTrue(four.levelOrders().isEmpty(), "d = 4 takes the treecode");
    assertEquals(8, four.options().order());
  }

  /** An explicit q ≥ 1 asks for the FMM path; in d = 4, where it does not exist, that is an error, not a silent treecode. */
  @Test
  void anExplicitGridInFourDimensionsIsRejectedNotSilentlyReplaced() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.5, 1);
    Matrix x = FastKernelTransformTest.points("uniform", 300, 4, 44);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> FastKernelTransform.factor(k, x, FktOptions.ofOrder(8).withInterpolationOrder(6)));
    assertTrue(e.getMessage().contains("d <= 3") && e.getMessage().contains("d = 4"), e.getMessage());
    assertEquals(0, FktOptions.defaults().interpolationOrderFor(4));
    assertEquals(6, FktOptions.defaults().interpolationOrderFor(3));
    assertEquals(0, FktOptions.ofOrder(8).interpolationOrderFor(3));
  }

  @Test
  void theF32NearFieldDoesNotDependOnTheThreadCount() {
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.2, 1);
    Matrix x = FastKernelTransformTest.points("mixture", 4000, 3, 11);
    Matrix v = FastKernelTransformTest.vectors(4000, 3, 12);
    Matrix one = FastKernelTransform.factor(k, x, fmm(8, 6, 32).withTolerance(1e-4).withThreads(1)).apply(v);
    Matrix three = FastKernelTransform.factor(k, x, fmm(8, 6, 32).withTolerance(1e-4).withThreads(3)).apply(v);
    assertArrayEquals(one.f64(), three.f64());
  }

  /**
   * With a tolerance ≥ 1e-5 the near field runs in F32: with every pair near (one leaf holds all
   * the points) the product is all near field, and its error against the F64 dense product is the
   * F32 evaluation's alone, far below the tolerance; with a smaller tolerance it stays F64.
   */
  @ParameterizedTest
  @ValueSource(strings = {"uniform 0.2", "mixture 0.05", "mixture 1.0"})
  void theF32NearFieldIsFarMoreAccurateThanTheTolerance(String setup) {
    String distribution = setup.split(" ")[0];
    double l = Double.parseDouble(setup.split(" ")[1]);
    int n = 1500;
    Matrix x = FastKernelTransformTest.points(distribution, n, 3, 31);
    Matrix v = FastKernelTransformTest.vectors(n, 2, 32);
    Matrix want = denseGaussianProduct(x, l, v);
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, l, 1);
    FastKernelTransform f32 = FastKernelTransform.factor(k, x, fmm(8, 6, 2 * n).withTolerance(1e-4));
    assertEquals((long) n * n, f32.directEntries());
    double err32 = FastKernelTransformTest.relativeError(want, f32.apply(v));
    assertTrue(err32 < 1e-6 && err32 > 1e-12, setup + " F32 near field: relative error " + err32);
    FastKernelTransform f64 = FastKernelTransform.factor(k, x, fmm(8, 6, 2 * n).withTolerance(1e-6));
    double err64 = FastKernelTransformTest.relativeError(want, f64.apply(v));
    assertTrue(err64 < 1e-12, setup + " F64 near field: relative error " + err64);
  }

  @Test
  void everyPointPairIsCoveredOnceAndTranslationsAreWellSeparated() {
    Matrix x = FastKernelTransformTest.points("mixture", 3000, 3, 13);
    double[] xs = x.toDType(DType.F64).f64().clone();
    FmmOctree tree = new FmmOctree(xs, 3000, 3, 16);
    long covered = 0;
    for (int b = 0; b < tree.boxCount; b++) {
      for (int j = tree.nearStart[b]; j < tree.nearStart[b + 1]; j++) {
        assertTrue(tree.leaf[b] && tree.leaf[tree.nearSource[j]]);
        covered += (long) tree.size(b) * tree.size(tree.nearSource[j]);
      }
    }
    for (int j = 0; j < tree.m2lTarget.length; j++) {
      int t = tree.m2lTarget[j];
      int s = tree.m2lSource[j];
      covered += (long) tree.size(t) * tree.size(s);
      // every point of the target box at least 1.5 source sides from the source center
      double gap = 0;
      for (int a = 0; a < 3; a++) {
        double offset = Math.abs(tree.center(t, a) - tree.center(s, a)) - tree.side(tree.level[t]) / 2;
        gap = Math.max(gap, offset);
      }
      assertTrue(gap >= 1.5 * tree.side(tree.level[s]) - 1e-9, "pair " + t + ", " + s);
    }
    assertEquals(3000L * 3000L, covered);
    assertTrue(tree.depth >= 4, "depth " + tree.depth);
  }

  @Test
  void chebyshevInterpolationAndParentToChildTranslation() {
    int q = 10;
    ChebyshevGrid grid = new ChebyshevGrid(q, 3);
    // a smooth field on [−1, 1]³: a Gaussian centered outside the box
    double[] center = {2.1, -1.7, 0.4};
    java.util.function.Function<double[], Double> field = u -> {
      double r2 = 0;
      for (int t = 0; t < 3; t++) {
        r2 += (u[t] - center[t]) * (u[t] - center[t]);
      }
      return Math.exp(-r2 / 4);
    };
    double[] parent = new double[grid.size()];
    double[] u = new double[3];
    for (int g = 0; g < grid.size(); g++) {
      for (int t = 0; t < 3; t++) {
        u[t] = grid.node(grid.index(g, t));
      }
      parent[g] = field.apply(u);
    }
    int[] half = {1, 0, 1};
    // the child on the same order and on a lower one (the per-level orders of a tolerance)
    for (ChebyshevGrid childGrid : new ChebyshevGrid[] {grid, new ChebyshevGrid(7, 3)}) {
      double[][] matrices = new double[3][];
      for (int t = 0; t < 3; t++) {
        matrices[t] = childGrid.childFromParent(grid, half[t]);
      }
      double[] child = new double[childGrid.size()];
      childGrid.addParentToChild(grid, parent, matrices, 1, child, new double[grid.size()], new double[grid.size()]);
      double worst = 0;
      for (int g = 0; g < childGrid.size(); g++) {
        for (int t = 0; t < 3; t++) {
          u[t] = (childGrid.node(childGrid.index(g, t)) + (2 * half[t] - 1)) / 2;
        }
        worst = Math.max(worst, Math.abs(child[g] - field.apply(u)));
      }
      assertTrue(worst < 1e-7, "L2L error " + worst + " onto q = " + childGrid.order());
    }
    double worst = 0;
    SplittableRandom rnd = new SplittableRandom(14);
    double[] y = new double[1];
    for (int trial = 0; trial < 200; trial++) {
      for (int t = 0; t < 3; t++) {
        u[t] = 2 * rnd.nextDouble() - 1;
      }
      y[0] = 0;
      grid.addInterpolant(u, parent, 0, 1, y, 0, new double[3 * q], new double[grid.size()]);
      worst = Math.max(worst, Math.abs(y[0] - field.apply(u)));
    }
    assertTrue(worst < 1e-7, "L2T error " + worst);
    // q = 3 is visibly worse: the test can fail
    ChebyshevGrid coarse = new ChebyshevGrid(3, 3);
    double[] values = new double[coarse.size()];
    for (int g = 0; g < coarse.size(); g++) {
      for (int t = 0; t < 3; t++) {
        u[t] = coarse.node(coarse.index(g, t));
      }
      values[g] = field.apply(u);
    }
    u[0] = 0.9;
    u[1] = -0.9;
    u[2] = 0.1;
    y[0] = 0;
    coarse.addInterpolant(u, values, 0, 1, y, 0, new double[9], new double[27]);
    assertTrue(Math.abs(y[0] - field.apply(u)) > 1e-6);
  }

  /** Tolerance 1e-4, orders chosen per level (ceilings p = 10, q = 8), against dense products. */
  @ParameterizedTest
  @ValueSource(strings = {"uniform 0.05", "uniform 0.2", "uniform 1.0", "mixture 0.05", "mixture 0.2", "mixture 1.0"})
  void toleranceDrivenOrdersMeetTheTolerance(String setup) {
    String distribution = setup.split(" ")[0];
    double l = Double.parseDouble(setup.split(" ")[1]);
    int n = 3000;
    Matrix x = FastKernelTransformTest.points(distribution, n, 3, 21);
    Matrix v = FastKernelTransformTest.vectors(n, 2, 22);
    Matrix want = denseGaussianProduct(x, l, v);
    FastKernelTransform f = FastKernelTransform.factor(KernelFunction.isotropic(Kind.GAUSSIAN, l, 1), x,
        fmm(10, 8, 32).withTolerance(1e-4));
    assertTrue(f.expandedPairs() > 1000, setup + " M2L pairs " + f.expandedPairs());
    double err = FastKernelTransformTest.relativeError(want, f.apply(v));
    assertTrue(err <= 1e-4, setup + " relative error " + err + " at orders " + f.levelOrders());
  }

  @Test
  void fineLevelsGetLowerOrdersAndFixedOrdersStayFixed() {
    Matrix x = FastKernelTransformTest.points("uniform", 20000, 3, 23);
    KernelFunction k = KernelFunction.isotropic(Kind.GAUSSIAN, 0.2, 1);
    FastKernelTransform fixed = FastKernelTransform.factor(k, x, fmm(8, 6, 32));
    assertTrue(fixed.levelOrders().matches("(8/6 ?)+"), fixed.levelOrders());
    FastKernelTransform adaptive = FastKernelTransform.factor(k, x, fmm(8, 6, 32).withTolerance(1e-4));
    String[] orders = adaptive.levelOrders().split(" ");
    String[] finest = orders[orders.length - 1].split("/");
    assertTrue(Integer.parseInt(finest[0]) < 8 && Integer.parseInt(finest[1]) < 6, adaptive.levelOrders());
    for (String o : orders) {  // the explicit orders are ceilings
      assertTrue(Integer.parseInt(o.split("/")[0]) <= 8 && Integer.parseInt(o.split("/")[1]) <= 6, adaptive.levelOrders());
    }
    // a tighter tolerance needs higher orders on the finest level
    FastKernelTransform tight = FastKernelTransform.factor(k, x, fmm(12, 10, 32).withTolerance(1e-8));
    String[] tightOrders = tight.levelOrders().split(" ");
    assertTrue(Integer.parseInt(tightOrders[tightOrders.length - 1].split("/")[0]) > Integer.parseInt(finest[0]),
        tight.levelOrders() + " vs " + adaptive.levelOrders());
  }
}
