package structura.api.backend;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * A radial (isotropic) kernel as a small value: its {@link Kind}, a variance σ² and, for the
 * rational quadratic, a shape α. It is evaluated on the <em>scaled</em> distance
 * {@code r = ‖x − y‖} of points already divided by their lengthscale(s): callers fold the
 * lengthscale, or per-dimension ARD lengthscales, into the points once, so the
 * {@link PairwiseKernelRoutine} only ever sees one isotropic function of r. This is the
 * description the SPI passes to backends; {@code structura.algorithms.kernel} builds the
 * user-facing kernels (with lengthscales) on top of it.
 *
 * <p>{@link #ofSquaredDistance(double)} is the F64 formula every backend must agree with.
 *
 * @param kind the functional form
 * @param variance σ² &gt; 0, finite: the value at r = 0 (the prefactor of 1/r for LAPLACE)
 * @param shape α &gt; 0, finite, for {@link Kind#RATIONAL_QUADRATIC}; ignored (pass 1) otherwise
 */
public record RadialKernel(Kind kind, double variance, double shape) {

  /** The functional forms, as functions of the scaled distance r. */
  public enum Kind {
    /** Gaussian / RBF: σ²·exp(−r²/2). */
    GAUSSIAN,
    /** Exponential: σ²·exp(−r) (the same function as Matérn ν = 1/2). */
    EXPONENTIAL,
    /** Matérn ν = 1/2: σ²·exp(−r). */
    MATERN_12,
    /** Matérn ν = 3/2: σ²·(1 + √3·r)·exp(−√3·r). */
    MATERN_32,
    /** Matérn ν = 5/2: σ²·(1 + √5·r + 5r²/3)·exp(−√5·r). */
    MATERN_52,
    /** Rational quadratic: σ²·(1 + r²/(2α))^(−α). */
    RATIONAL_QUADRATIC,
    /** Cauchy: σ²/(1 + r²). */
    CAUCHY,
    /**
     * The Laplace equation's free-space Green's function shape σ²/r, defined as 0 at r = 0 (the
     * singular self-interaction is excluded, as in fast multipole methods). Not positive
     * definite; isotropic only (no ARD lengthscales).
     */
    LAPLACE
  }

  /** Validates the parameters. */
  public RadialKernel {
    if (kind == null) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "RadialKernel: kind is null.", "Pass one of RadialKernel.Kind.");
    }
    if (!(variance > 0) || Double.isInfinite(variance)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "RadialKernel " + kind + ": variance is " + variance + ".", "Pass a finite variance > 0 (1 for a unit-height kernel).");
    }
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "RadialKernel " + kind + ": shape alpha is " + shape + ".", "Pass a finite alpha > 0 (it is only used by RATIONAL_QUADRATIC; pass 1 otherwise).");
    }
  }

  /** A kernel of {@code kind} with variance σ² and shape 1. */
  public static RadialKernel of(Kind kind, double variance) {
    return new RadialKernel(kind, variance, 1.0);
  }

  /** The kernel value at scaled squared distance {@code r2 = r²} (≥ 0), in double precision. */
  public double ofSquaredDistance(double r2) {
    return switch (kind) {
      case GAUSSIAN -> variance * Math.exp(-0.5 * r2);
      case EXPONENTIAL, MATERN_12 -> variance * Math.exp(-Math.sqrt(r2));
      case MATERN_32 -> {
        double s = Math.sqrt(3 * r2);
        yield variance * (1 + s) * Math.exp(-s);
      }
      case MATERN_52 -> {
        double s = Math.sqrt(5 * r2);
        yield variance * (1 + s + s * s / 3) * Math.exp(-s);
      }
      case RATIONAL_QUADRATIC -> variance * Math.pow(1 + r2 / (2 * shape), -shape);
      case CAUCHY -> variance / (1 + r2);
      case LAPLACE -> r2 == 0 ? 0 : variance / Math.sqrt(r2);
    };
  }

  /** Whether every kernel matrix of this kind is positive semi-definite (all but LAPLACE). */
  public boolean positiveDefinite() {
    return kind != Kind.LAPLACE;
  }
}
