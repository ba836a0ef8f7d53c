package structura.algorithms.kernel;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;

/**
 * The result of {@link HarmonicLowRank}: K ≈ U·diag(λ)·Uᵀ for the fitted points, and the
 * expansion itself, which evaluates the factor U at any point inside the fitted ball (so
 * K(x*, X) ≈ U(x*)·diag(λ)·Uᵀ for held-out points x*).
 *
 * <p>Column (ℓ, q, h) of U is φ_ℓq(‖x − c‖)·Y_ℓh(x̂): a radial function (degree-ℓ eigenfunction
 * of the data-compressed radial kernel) times a degree-ℓ spherical harmonic of the direction
 * x̂ = (x − c)/‖x − c‖ about the centre c; λ_ℓq repeats for each of the N(d, ℓ) harmonics h.
 * Immutable.
 */
public final class HarmonicExpansion {
  /** One kept harmonic degree ℓ. */
  record Degree(int degree, Matrix radialCoefficients, double[] eigenvalues, Matrix directions, Matrix harmonicMap) {
    /** Columns this degree adds to U: kept radial functions × harmonics. */
    int columns() {
      return eigenvalues.length * harmonicMap.cols();
    }
  }

  private final KernelFunction kernel;
  private final double[] centre;
  private final double radius;
  private final double[] radialNodes;
  private final double[] radialWeights;
  private final List<Degree> degrees;
  private final int chebyshevDegree;
  private final double fitError;
  private final boolean toleranceReached;
  private final Matrix factor;
  private final double[] lambda;
  private final Compute compute;

  HarmonicExpansion(KernelFunction kernel, double[] centre, double radius, double[] radialNodes, List<Degree> degrees,
      int chebyshevDegree, double fitError, boolean toleranceReached, Matrix points, Compute compute) {
    this.kernel = kernel;
    this.centre = centre;
    this.radius = radius;
    this.radialNodes = radialNodes;
    this.radialWeights = Chebyshev.barycentricWeights(radialNodes.length);
    this.degrees = List.copyOf(degrees);
    this.chebyshevDegree = chebyshevDegree;
    this.fitError = fitError;
    this.toleranceReached = toleranceReached;
    this.compute = compute;
    int rank = 0;
    for (Degree g : degrees) {
      rank += g.columns();
    }
    this.lambda = new double[rank];
    int col = 0;
    for (Degree g : degrees) {
      for (double s : g.eigenvalues()) {
        for (int h = 0; h < g.harmonicMap().cols(); h++) {
          lambda[col++] = s;
        }
      }
    }
    this.factor = features(points);
  }

  /** K ≈ U·diag(λ)·Uᵀ as a symmetric {@link LinearOperator} (N×N, F64); products cost 4·N·rank flops per column. */
  public LinearOperator operator() {
    return Operators.lowRank(factor, lambda, factor, compute);
  }

  /** U for the fitted points (N×rank, F64); shared, do not modify. */
  public Matrix factor() {
    return factor;
  }

  /** λ (one per column of U; radial eigenvalues repeated over the harmonics). A copy. */
  public double[] eigenvalues() {
    return lambda.clone();
  }

  /** The rank of the approximation. */
  public int rank() {
    return lambda.length;
  }

  /** The largest harmonic degree kept (−1 if none). */
  public int maxHarmonicDegree() {
    return degrees.isEmpty() ? -1 : degrees.get(degrees.size() - 1).degree();
  }

  /** The Chebyshev degree D chosen for the kernel profile on [−b, b]. */
  public int chebyshevDegree() {
    return chebyshevDegree;
  }

  /** The max absolute error of the degree-D Chebyshev fit of κ on [0, b]. */
  public double fitError() {
    return fitError;
  }

  /**
   * Whether the fit reached rtol·κ(0) within the degree limit and no degree was cut by the rank
   * limit. When false the approximation is still valid but less accurate than asked.
   */
  public boolean toleranceReached() {
    return toleranceReached;
  }

  /** The radius of the fitted points about the centre, in lengthscale units; held-out points must lie within it. */
  public double radius() {
    return radius;
  }

  /**
   * U(x) for each row of {@code points} (M×d, the dimension of the fitted points, not modified):
   * an M×rank F64 matrix with K(points, X) ≈ U(points)·diag(λ)·Uᵀ. O(M·rank·(d + D)) flops.
   *
   * @throws InvalidArgumentException if a point is not finite, has the wrong dimension, or lies
   *     outside the fitted ball (the radial interpolation is not valid there)
   */
  public Matrix features(Matrix points) {
    Objects.requireNonNull(points, "points");
    int d = centre.length;
    if (points.cols() != d) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "HarmonicExpansion.features: the points have dimension " + points.cols() + " but the expansion " + d + ".",
          "Pass points with the coordinates of the fitted points.");
    }
    Matrix x = kernel.scale(points.toDType(DType.F64));
    int n = x.rows();
    int rank = lambda.length;
    double[] u = new double[n * rank];
    int m = radialNodes.length;
    IntStream.range(0, n).parallel().forEach(i -> {
      double[] y = new double[d];
      double rho2 = 0;
      for (int t = 0; t < d; t++) {
        y[t] = x.get(i, t) - centre[t];
        if (!Double.isFinite(y[t])) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "HarmonicExpansion.features: point " + i + " coordinate " + t + " is " + points.get(i, t) + ".",
              "Drop or impute non-finite coordinates.");
        }
        rho2 += y[t] * y[t];
      }
      double rho = Math.sqrt(rho2);
      if (rho > radius * (1 + 1e-9)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "HarmonicExpansion.features: point " + i + " lies at distance " + rho + " (lengthscale units) from the centre, "
                + "outside the fitted radius " + radius + ".",
            "Fit the expansion on a point set that contains the new points, or evaluate the kernel directly there.");
      }
      if (rho > 0) {
        for (int t = 0; t < d; t++) {
          y[t] /= rho;
        }
      } else {
        y[0] = 1;  // the direction of the centre is arbitrary: every degree ℓ > 0 has a zero radial factor there
      }
      double[] basis = new double[m];
      Chebyshev.lagrange(radialNodes, radialWeights, Math.min(rho, radius), basis);
      int col = 0;
      for (Degree g : degrees) {
        Matrix rc = g.radialCoefficients();
        Matrix z = g.directions();
        Matrix map = g.harmonicMap();
        int kept = rc.cols();
        int harmonics = map.cols();
        double[] radial = new double[kept];
        for (int q = 0; q < kept; q++) {
          double s = 0;
          for (int a = 0; a < m; a++) {
            s += basis[a] * rc.get(a, q);
          }
          radial[q] = s;
        }
        double[] phi = new double[z.rows()];
        for (int a = 0; a < phi.length; a++) {
          double c = 0;
          for (int t = 0; t < d; t++) {
            c += y[t] * z.get(a, t);
          }
          phi[a] = HypersphericalLegendre.values(d, g.degree(), Math.max(-1, Math.min(1, c)))[g.degree()];
        }
        double[] harmonic = new double[harmonics];
        for (int h = 0; h < harmonics; h++) {
          double s = 0;
          for (int a = 0; a < phi.length; a++) {
            s += phi[a] * map.get(a, h);
          }
          harmonic[h] = s;
        }
        for (int q = 0; q < kept; q++) {
          for (int h = 0; h < harmonics; h++) {
            u[i * rank + col++] = radial[q] * harmonic[h];
          }
        }
      }
    });
    return Matrix.wrap(u, n, rank);
  }

  /**
   * The cross-kernel approximation K(targets, X) ≈ U(targets)·diag(λ)·Uᵀ (M×N) as an operator,
   * for held-out targets inside the fitted ball.
   */
  public LinearOperator crossOperator(Matrix targets) {
    return Operators.lowRank(features(targets), lambda, factor, compute);
  }

  @Override
  public String toString() {
    return "HarmonicExpansion(rank " + rank() + ", harmonic degree ≤ " + maxHarmonicDegree() + ", Chebyshev degree " + chebyshevDegree
        + ", fit error " + fitError + (toleranceReached ? "" : ", tolerance NOT reached") + ")";
  }
}
