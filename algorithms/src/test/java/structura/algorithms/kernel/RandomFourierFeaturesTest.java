package structura.algorithms.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static structura.algorithms.kernel.KernelApproximationFixtures.ball;
import static structura.algorithms.kernel.KernelApproximationFixtures.relativeError;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel.Kind;

/**
 * Random Fourier features against the dense kernel: the spectral density of each kernel is right
 * exactly when the error falls like 1/√D (a wrong density leaves a bias that does not fall).
 */
class RandomFourierFeaturesTest {
  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"GAUSSIAN", "EXPONENTIAL", "MATERN_12", "MATERN_32", "MATERN_52", "RATIONAL_QUADRATIC", "CAUCHY"})
  void errorFallsLikeOneOverRootD(Kind kind) {
    KernelFunction k = KernelFunction.isotropic(kind, 0.8, 1.5);
    Matrix x = ball(400, 3, 1.0, 5);
    Matrix dense = k.matrix(x, x, DType.F64);
    double coarse = relativeError(dense, RandomFourierFeatures.draw(k, 3, 500, 1, Compute.reference()).operator(x).toDense());
    double fine = relativeError(dense, RandomFourierFeatures.draw(k, 3, 20_000, 2, Compute.reference()).operator(x).toDense());
    // 40 times the features: the error should drop about √40 ≈ 6.3 times; a biased density stalls
    assertTrue(fine < coarse / 3, kind + ": D=500 " + coarse + ", D=20000 " + fine);
    assertTrue(fine < 0.05, kind + ": D=20000 " + fine);
  }

  @Test
  void rejectsLaplaceAndWrongDimension() {
    assertThrows(InvalidArgumentException.class,
        () -> RandomFourierFeatures.draw(KernelFunction.isotropic(Kind.LAPLACE, 1, 1), 3, 10, 0, Compute.reference()));
    RandomFourierFeatures f = RandomFourierFeatures.draw(KernelFunction.isotropic(Kind.GAUSSIAN, 1, 1), 3, 10, 0, Compute.reference());
    assertThrows(InvalidArgumentException.class, () -> f.features(ball(4, 2, 1, 1)));
  }
}
