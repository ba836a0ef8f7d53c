package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendConfig;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;

/**
 * The F64 and F32 kernel products' symmetric path (targets and sources the same points, as a symmetric
 * {@code KernelOperator} passes them): each entry evaluated once for a row sum and a column sum.
 * Checked against the direct F64 formula {@link RadialKernel#ofSquaredDistance} summed in double,
 * entry by entry, for every kind, ragged sizes (n not a multiple of the row tile or the lane count),
 * several right-hand sides, β ≠ 0, and points stored with a leading dimension larger than d.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SymmetricPairwiseKernelTest {
  private Compute compute;

  @BeforeAll
  void open() {
    compute = Compute.open(BackendConfig.builder().backend("vector").strict(true).threads(2).build());
  }

  @AfterAll
  void close() {
    compute.close();
  }

  @ParameterizedTest(name = "{0} {1} n={2} k={3}")
  @CsvSource({"F64,MATERN_52,2003,1", "F64,MATERN_52,1001,3", "F64,GAUSSIAN,1001,2", "F64,MATERN_32,777,1",
      "F64,MATERN_12,777,2", "F64,EXPONENTIAL,513,1", "F64,RATIONAL_QUADRATIC,777,2", "F64,CAUCHY,1001,1",
      "F64,LAPLACE,1001,2", "F32,MATERN_52,2003,1", "F32,MATERN_52,1001,3", "F32,GAUSSIAN,1003,2", "F32,GAUSSIAN,1001,1", "F32,GAUSSIAN,2003,1", "F32,MATERN_32,777,1",
      "F32,RATIONAL_QUADRATIC,777,2", "F32,CAUCHY,1001,1"})
  void matchesTheDirectF64Formula(DType dtype, RadialKernel.Kind kind, int n, int k) {
    int d = 3;
    int ld = 5;  // points padded to 5 columns: the routine must read only d of each row
    SplittableRandom rnd = new SplittableRandom(11L * n + k);
    double[] storage = new double[n * ld];
    for (int i = 0; i < storage.length; i++) {
      storage[i] = rnd.nextDouble(-2, 2);
    }
    Matrix x = Matrix.wrap(storage, 0, n, d, ld);
    if (dtype == DType.F32) {
      float[] single = new float[storage.length];
      for (int i = 0; i < single.length; i++) {
        single[i] = (float) storage[i];
      }
      x = Matrix.wrap(single, 0, n, d, ld);
    }
    Matrix v = Matrix.zeros(dtype, n, k);
    Matrix o = Matrix.zeros(dtype, n, k);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        v.set(i, c, rnd.nextGaussian());
        o.set(i, c, rnd.nextGaussian());
      }
    }
    RadialKernel kernel = kind == RadialKernel.Kind.RATIONAL_QUADRATIC ? new RadialKernel(kind, 1.7, 0.8)
        : RadialKernel.of(kind, 1.7);
    double beta = 0.25;
    Matrix before = o.copy();
    int lanes = dtype == DType.F32 ? Simd.FLOAT.length() : Simd.DOUBLE.length();
    int nPad = (n + lanes - 1) / lanes * lanes;
    assertTrue(F64PairwiseKernel.symmetricGroups(n, nPad, k) >= F64PairwiseKernel.SYM_MIN_GROUPS,
        "the size must take the symmetric path");

    compute.kernelMultiply(kernel, x, x, v, beta, o);

    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        double sum = 0;
        double scale = 0;
        for (int j = 0; j < n; j++) {
          double r2 = 0;
          for (int t = 0; t < d; t++) {
            double diff = x.get(i, t) - x.get(j, t);
            r2 += diff * diff;
          }
          double term = kernel.ofSquaredDistance(r2) * v.get(j, c);
          sum += term;
          scale += Math.abs(term);
        }
        double want = sum + beta * before.get(i, c);
        scale += Math.abs(beta * before.get(i, c));
        worst = Math.max(worst, Math.abs(o.get(i, c) - want) / scale);
      }
    }
    // a few ulps per term of the sum: rounding of the points' differences, exp/sqrt and the
    // summation order (F32: unit roundoff 6e-8, sums of up to 2000 terms in 8 lanes)
    double bound = dtype == DType.F32 ? 2e-5 : 1e-13;
    assertTrue(worst < bound, dtype + " " + kind + ": largest error relative to sum |terms| " + worst);
  }
}
