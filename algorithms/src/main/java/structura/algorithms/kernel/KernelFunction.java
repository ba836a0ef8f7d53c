package structura.algorithms.kernel;

import java.util.Arrays;
import java.util.Locale;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.RadialKernel;

/**
 * A stationary kernel k(x, y) = κ(r) with the scaled distance
 * {@code r = ‖(x − y) / ℓ‖}: one lengthscale ℓ for every dimension (isotropic), or one per
 * dimension (ARD, automatic relevance determination), and a variance σ² = κ(0) (for LAPLACE, the
 * prefactor of 1/r). The radial shape κ is a {@link RadialKernel}; see its {@code Kind}s for the
 * formulas (Gaussian/RBF, exponential, Matérn ν = 1/2, 3/2, 5/2, rational quadratic, Cauchy,
 * Laplace 1/r).
 *
 * <p>Everything downstream (the lazy {@link KernelOperator}, the backends'
 * {@code PairwiseKernelRoutine}) evaluates the kernel as κ on points divided by ℓ once,
 * {@link #scale(Matrix)}: O(N·d), so ARD costs nothing per kernel entry. Immutable.
 */
public final class KernelFunction {
  private final RadialKernel radial;
  private final double[] lengthscales;

  private KernelFunction(RadialKernel radial, double[] lengthscales) {
    this.radial = radial;
    this.lengthscales = lengthscales;
  }

  /** An isotropic kernel of {@code kind} (shape α = 1 for the rational quadratic). */
  public static KernelFunction isotropic(RadialKernel.Kind kind, double lengthscale, double variance) {
    return new KernelFunction(RadialKernel.of(kind, variance), checkedLengthscales(kind, new double[] {lengthscale}));
  }

  /**
   * An ARD kernel: {@code lengthscales[t]} scales coordinate t. Not allowed for LAPLACE (a Green's
   * function is isotropic by nature; rescale the points yourself if that is what you mean).
   */
  public static KernelFunction ard(RadialKernel.Kind kind, double[] lengthscales, double variance) {
    if (kind == RadialKernel.Kind.LAPLACE) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "The LAPLACE (1/r) kernel is isotropic and takes one lengthscale, got " + lengthscales.length + ".",
          "Use KernelFunction.isotropic for LAPLACE, or another kernel for per-dimension lengthscales.");
    }
    return new KernelFunction(RadialKernel.of(kind, variance), checkedLengthscales(kind, lengthscales.clone()));
  }

  /** The rational quadratic σ²·(1 + r²/(2α))^(−α) with an isotropic lengthscale. */
  public static KernelFunction rationalQuadratic(double lengthscale, double variance, double alpha) {
    return new KernelFunction(new RadialKernel(RadialKernel.Kind.RATIONAL_QUADRATIC, variance, alpha),
        checkedLengthscales(RadialKernel.Kind.RATIONAL_QUADRATIC, new double[] {lengthscale}));
  }

  /**
   * The kind named {@code name}, case-insensitive: {@code rbf} or {@code gaussian},
   * {@code exponential}, {@code matern12}, {@code matern32}, {@code matern52}, {@code rq},
   * {@code cauchy}, {@code laplace}.
   */
  public static RadialKernel.Kind kindNamed(String name) {
    return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
      case "rbf", "gaussian", "se" -> RadialKernel.Kind.GAUSSIAN;
      case "exponential", "exp" -> RadialKernel.Kind.EXPONENTIAL;
      case "matern12" -> RadialKernel.Kind.MATERN_12;
      case "matern32" -> RadialKernel.Kind.MATERN_32;
      case "matern52" -> RadialKernel.Kind.MATERN_52;
      case "rq", "rationalquadratic" -> RadialKernel.Kind.RATIONAL_QUADRATIC;
      case "cauchy" -> RadialKernel.Kind.CAUCHY;
      case "laplace" -> RadialKernel.Kind.LAPLACE;
      default -> throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "Unknown kernel '" + name + "'.",
          "Use one of rbf, exponential, matern12, matern32, matern52, rq, cauchy, laplace.");
    };
  }

  private static double[] checkedLengthscales(RadialKernel.Kind kind, double[] ls) {
    if (ls.length == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, kind + " kernel: no lengthscale given.",
          "Pass one lengthscale, or one per dimension.");
    }
    for (int t = 0; t < ls.length; t++) {
      if (!(ls[t] > 0) || Double.isInfinite(ls[t])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            kind + " kernel: lengthscale" + (ls.length > 1 ? "[" + t + "]" : "") + " is " + ls[t] + ".",
            "Pass a finite lengthscale > 0 (about the distance over which the data vary, e.g. the median pairwise distance).");
      }
    }
    return ls;
  }

  /** The radial shape and variance, as passed to backends. */
  public RadialKernel radial() {
    return radial;
  }

  /** The lengthscales: one (isotropic) or one per dimension. A copy. */
  public double[] lengthscales() {
    return lengthscales.clone();
  }

  /** Whether one lengthscale applies to every dimension. */
  public boolean isIsotropic() {
    return lengthscales.length == 1;
  }

  /** σ². */
  public double variance() {
    return radial.variance();
  }

  /** This kernel with another variance (same shape and lengthscales). */
  public KernelFunction withVariance(double variance) {
    return new KernelFunction(new RadialKernel(radial.kind(), variance, radial.shape()), lengthscales);
  }

  /** k(x, y) in double precision; x and y have the kernel's dimension (any, when isotropic). */
  public double value(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "kernel value: x has " + x.length + " coordinates and y has " + y.length + ".", "Pass two points of one dimension.");
    }
    checkDimension(x.length);
    double r2 = 0;
    for (int t = 0; t < x.length; t++) {
      double s = (x[t] - y[t]) / lengthscale(t);
      r2 += s * s;
    }
    return radial.ofSquaredDistance(r2);
  }

  /** κ at the scaled distance r ≥ 0. */
  public double ofScaledDistance(double r) {
    return radial.ofSquaredDistance(r * r);
  }

  /**
   * The points (N×d, one per row) divided by the lengthscale(s), as a new compact matrix of the
   * same dtype. O(N·d). Not modified: {@code points}.
   */
  public Matrix scale(Matrix points) {
    checkDimension(points.cols());
    Matrix out = Matrix.zeros(points.dtype(), points.rows(), points.cols());
    for (int i = 0; i < points.rows(); i++) {
      for (int t = 0; t < points.cols(); t++) {
        out.set(i, t, points.get(i, t) / lengthscale(t));
      }
    }
    return out;
  }

  /** The dense N×M kernel matrix k(x_i, y_j) in {@code dtype}, computed in double. O(N·M) memory; for tests and small N. */
  public Matrix matrix(Matrix x, Matrix y, DType dtype) {
    Matrix out = Matrix.zeros(dtype, x.rows(), y.rows());
    double[] xi = new double[x.cols()];
    double[] yj = new double[y.cols()];
    for (int i = 0; i < x.rows(); i++) {
      for (int t = 0; t < xi.length; t++) {
        xi[t] = x.get(i, t);
      }
      for (int j = 0; j < y.rows(); j++) {
        for (int t = 0; t < yj.length; t++) {
          yj[t] = y.get(j, t);
        }
        out.set(i, j, value(xi, yj));
      }
    }
    return out;
  }

  private double lengthscale(int t) {
    return lengthscales.length == 1 ? lengthscales[0] : lengthscales[t];
  }

  private void checkDimension(int d) {
    if (d == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "Kernel points have dimension d = 0.",
          "Pass points with at least one coordinate.");
    }
    if (lengthscales.length > 1 && d != lengthscales.length) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "ARD kernel has " + lengthscales.length + " lengthscales but the points have dimension " + d + ".",
          "Pass one lengthscale per coordinate, or a single one.");
    }
  }

  @Override
  public String toString() {
    return radial.kind() + "(lengthscale=" + (isIsotropic() ? lengthscales[0] : Arrays.toString(lengthscales))
        + ", variance=" + radial.variance() + (radial.kind() == RadialKernel.Kind.RATIONAL_QUADRATIC ? ", alpha=" + radial.shape() : "") + ")";
  }
}
