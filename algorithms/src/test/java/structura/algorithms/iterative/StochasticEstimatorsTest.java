package structura.algorithms.iterative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

class StochasticEstimatorsTest {
  private static Matrix kernelSystem(int n, long seed) {
    return Dense.plusDiagonal(Dense.rbf(Dense.points(n, 2, seed), 0.3), 0.1);
  }

  @ParameterizedTest
  @EnumSource(ProbeDistribution.class)
  void slqLogdetWithinThreeStandardErrorsOfCholesky(ProbeDistribution distribution) {
    Matrix a = kernelSystem(300, 51);
    double exact = Dense.logdet(a);
    Estimate e = StochasticLanczosQuadrature.logDeterminant(Operators.denseOnReference(a),
        StochasticLanczosQuadratureOptions.defaults().withLanczosIterations(30).withProbes(HutchinsonOptions.defaults()
            .withMaxProbes(200).withBlockSize(10).withTolerance(1e-2).withDistribution(distribution).withSeed(52)));
    assertTrue(e.converged(), "relative standard error " + e.relativeStandardError());
    assertTrue(e.relativeStandardError() <= 1e-2);
    assertTrue(Math.abs(e.estimate() - exact) <= 3 * e.standardError(),
        "estimate " + e.estimate() + " exact " + exact + " se " + e.standardError());
    assertTrue(e.standardError() > 0);
  }

  @Test
  void slqTraceOfSquareRootMatchesEigenvalues() {
    Matrix a = kernelSystem(300, 53);
    double exact = 0;
    for (double l : Dense.eigenvalues(a)) {
      exact += Math.sqrt(l);
    }
    Estimate e = StochasticLanczosQuadrature.trace(Operators.denseOnReference(a), Math::sqrt,
        StochasticLanczosQuadratureOptions.defaults().withLanczosIterations(30).withProbes(HutchinsonOptions.defaults()
            .withMaxProbes(300).withBlockSize(20).withTolerance(2e-2).withSeed(54)));
    assertTrue(e.converged(), "relative standard error " + e.relativeStandardError());
    assertTrue(Math.abs(e.estimate() - exact) <= 3 * e.standardError(), e.estimate() + " vs " + exact);
  }

  @Test
  void slqLogdetOfIndefiniteOperatorIsAnError() {
    double[] spectrum = Dense.geometricSpectrum(50, 10);
    spectrum[10] = -1;
    Matrix a = Dense.withSpectrum(spectrum, 55);
    StructuraException e = assertThrows(StructuraException.class, () -> StochasticLanczosQuadrature.logDeterminant(
        Operators.denseOnReference(a), StochasticLanczosQuadratureOptions.defaults()));
    assertEquals(ErrorCode.NOT_SYMMETRIC_POSITIVE_DEFINITE, e.code());
  }

  @Test
  void hutchinsonTraceStopsOnRelativeStandardError() {
    // a near-low-rank kernel matrix would need thousands of probes; a spread spectrum needs ~150
    Matrix a = Dense.withSpectrum(Dense.geometricSpectrum(300, 100), 56);
    double exact = 0;
    for (int i = 0; i < 300; i++) {
      exact += a.get(i, i);
    }
    Estimate e = Hutchinson.trace(Operators.denseOnReference(a), HutchinsonOptions.defaults().withTolerance(1e-2).withSeed(57));
    assertTrue(e.converged());
    assertTrue(e.relativeStandardError() <= 1e-2);
    assertTrue(Math.abs(e.estimate() - exact) <= 3 * e.standardError(), e.estimate() + " vs " + exact);
    assertEquals(e.samples(), e.matrixVectorProducts());
  }

  @Test
  void hutchinsonReportsNotConvergedAtTheProbeCap() {
    Matrix a = kernelSystem(200, 58);
    Estimate e = Hutchinson.trace(Operators.denseOnReference(a),
        HutchinsonOptions.defaults().withTolerance(1e-6).withMaxProbes(40).withSeed(59));
    assertFalse(e.converged());
    assertEquals(StopReason.MAX_ITERATIONS, e.reason());
    assertEquals(40, e.samples());
    assertTrue(e.relativeStandardError() > 1e-6);
  }

  @Test
  void hutchinsonDiagonalWithinItsStandardErrors() {
    Matrix a = Dense.plusDiagonal(Dense.withSpectrum(Dense.geometricSpectrum(150, 100), 60), 1);
    DiagonalEstimate d = Hutchinson.diagonal(Operators.denseOnReference(a),
        HutchinsonOptions.defaults().withTolerance(0.05).withMaxProbes(5000).withSeed(61));
    assertTrue(d.converged());
    double[] est = d.estimate();
    double[] se = d.standardError();
    int outside = 0;
    for (int i = 0; i < 150; i++) {
      if (Math.abs(est[i] - a.get(i, i)) > 3 * se[i]) {
        outside++;
      }
    }
    // 3 standard errors: about 0.3% of entries outside under normality; allow 3 of 150
    assertTrue(outside <= 3, outside + " entries outside 3 standard errors");
  }

  @Test
  void hutchPlusPlusBeatsHutchinsonOnADecayingSpectrum() {
    int n = 400;
    double[] spectrum = new double[n];
    double exact = 0;
    for (int i = 0; i < n; i++) {
      spectrum[i] = Math.pow(i + 1.0, -2);
      exact += spectrum[i];
    }
    LinearOperator a = Operators.denseOnReference(Dense.withSpectrum(spectrum, 62));
    HutchinsonOptions o = HutchinsonOptions.defaults().withTolerance(1e-9).withMaxProbes(60).withSeed(63);
    Estimate plain = Hutchinson.trace(a, o);
    Estimate plus = Hutchinson.traceHutchPlusPlus(a, 30, o);
    assertTrue(plus.standardError() * 10 < plain.standardError(), plus.standardError() + " vs " + plain.standardError());
    assertTrue(Math.abs(plus.estimate() - exact) <= 3 * plus.standardError() + 1e-12, plus.estimate() + " vs " + exact);
    assertEquals(60 + 30 + 30, plus.matrixVectorProducts());
  }
}
