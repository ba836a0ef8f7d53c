package structura.algorithms.kernel;

import java.util.Objects;
import structura.algorithms.iterative.SparseInverseCholeskyPreconditioner;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;

/**
 * The {@link SparseInverseCholeskyPreconditioner} of a Gaussian process's A = K + σ²I: P⁻¹ = U·Uᵀ
 * with column i of U conditioned on the m nearest points before i in a seeded random ordering
 * ({@link PreviousNeighbours}), distances measured after dividing by the lengthscales.
 *
 * <p><b>When.</b> Local kernels with small noise: on the precipitation grid (Matérn 5/2, ℓ about
 * four grid cells, σ_n²/σ_f² ≈ 10⁻³) K has nearly as many eigenvalues above σ_n² as rows, and a
 * low-rank preconditioner cannot help (see docs/iterative.md for the measured iteration counts).
 * For long lengthscales, where K is numerically low rank, the pivoted-Cholesky preconditioner is
 * the better choice.
 *
 * <p><b>Cost.</b> Neighbour search N²·d/2 (brute force, parallel); N·(m+1)²/2 kernel entries and
 * N·(m+1)³/3 flops for the set-up; each P⁻¹ product 2·N·(m+1) multiply-adds per column. Memory
 * N·(m+1) doubles and ints.
 */
public final class VecchiaPreconditioner {
  private VecchiaPreconditioner() {}

  /**
   * @param kernel the kernel (its lengthscales scale the distances)
   * @param points N×d training points (not modified)
   * @param noise σ² &gt; 0, added to the diagonal
   * @param neighbours m ≥ 1 earlier points per column (30 is a good start; more costs set-up time
   *     cubically and saves CG iterations)
   * @param seed seed of the random elimination ordering
   * @throws InvalidArgumentException for σ² ≤ 0 or m &lt; 1
   */
  public static SparseInverseCholeskyPreconditioner of(KernelFunction kernel, Matrix points, double noise, int neighbours, long seed) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(points, "points");
    GaussianProcessChecks.positiveNoise(noise);
    if (neighbours < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "VecchiaPreconditioner: neighbours = " + neighbours + ".",
          "Pass at least 1 neighbour per point (30 is a good start).");
    }
    Matrix scaled = kernel.scale(points.toDType(DType.F64)).copy();
    int n = scaled.rows();
    int d = scaled.cols();
    double[] xs = scaled.f64();
    PreviousNeighbours nb = PreviousNeighbours.find(xs, n, d, neighbours, seed);
    double diagonal = kernel.ofScaledDistance(0) + noise;
    return SparseInverseCholeskyPreconditioner.of(nb.order(), nb.sets(), (i, j) -> {
      if (i == j) {
        return diagonal;
      }
      double r2 = 0;
      for (int c = 0; c < d; c++) {
        double diff = xs[i * d + c] - xs[j * d + c];
        r2 += diff * diff;
      }
      return kernel.ofScaledDistance(Math.sqrt(r2));
    });
  }
}
