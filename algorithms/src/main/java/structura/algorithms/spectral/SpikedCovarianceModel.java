package structura.algorithms.spectral;

import java.util.Objects;
import java.util.SplittableRandom;
import structura.algorithms.linalg.HouseholderQr;
import structura.algorithms.linalg.HouseholderQrOptions;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Synthetic data with a known principal subspace, generated partition by partition so that it
 * never exists as one array: rows x = μ + U·diag(√λ)·z + σ·g with z ~ N(0, I_k), g ~ N(0, I_d).
 *
 * <p>The population covariance is U·diag(λ)·Uᵀ + σ²·I, so its top-k eigenspace is span(U)
 * ({@link #truth()}) with eigenvalues λ_j + σ² and eigengap λ_k. U is the Q factor of a d×k
 * Gaussian matrix drawn from {@code seed}; μ is {@code meanNorm} times a unit vector drawn from
 * it (0 for centered data). Partition p draws from its own stream seeded by (seed, p), so any
 * partition can be regenerated alone, in any order, on any machine, with the same rows.
 *
 * <p><b>Cost.</b> Per row d + k Gaussian draws and 2dk flops; memory per partition r×d doubles.
 *
 * @param dimension d
 * @param spikes λ_1 ≥ … ≥ λ_k > 0, the spike strengths above the noise
 * @param noise σ > 0
 * @param rows total rows N, split into {@code partitions} blocks of ⌊N/P⌋ or ⌈N/P⌉
 * @param partitions P
 * @param meanNorm ‖μ‖
 * @param seed seed of U, μ and every partition's rows
 */
public record SpikedCovarianceModel(int dimension, double[] spikes, double noise, long rows, int partitions,
    double meanNorm, long seed) implements PartitionSource {
  private static final long serialVersionUID = 1L;

  /** Validates. */
  public SpikedCovarianceModel {
    Objects.requireNonNull(spikes, "spikes");
    spikes = spikes.clone();
    if (dimension < 1 || spikes.length < 1 || spikes.length > dimension || !(noise > 0) || partitions < 1
        || rows < partitions || rows / partitions > Integer.MAX_VALUE || !(meanNorm >= 0)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "SpikedCovarianceModel: need 1 ≤ k = " + spikes.length + " ≤ d = " + dimension + ", noise > 0 (" + noise
              + "), 1 ≤ partitions (" + partitions + ") ≤ rows (" + rows + "), meanNorm ≥ 0.",
          "Pass sizes in range.");
    }
    for (int j = 0; j < spikes.length; j++) {
      if (!(spikes[j] > 0) || (j > 0 && spikes[j] > spikes[j - 1])) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "SpikedCovarianceModel: spikes must be positive and non-increasing; spike " + j + " = " + spikes[j] + ".",
            "Sort the spikes in decreasing order.");
      }
    }
  }

  @Override
  public double[] spikes() {
    return spikes.clone();
  }

  /** k, the number of spikes. */
  public int rank() {
    return spikes.length;
  }

  /** The d×k orthonormal basis U of the planted subspace. */
  public Matrix truth() {
    SplittableRandom random = new SplittableRandom(seed);
    Matrix g = gaussian(random, dimension, spikes.length);
    return new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(g).q();
  }

  /** The mean μ (length d). */
  public double[] mean() {
    double[] mu = new double[dimension];
    if (meanNorm == 0) {
      return mu;
    }
    SplittableRandom random = new SplittableRandom(~seed);
    double norm = 0;
    for (int i = 0; i < dimension; i++) {
      mu[i] = random.nextGaussian();
      norm += mu[i] * mu[i];
    }
    double scale = meanNorm / Math.sqrt(norm);
    for (int i = 0; i < dimension; i++) {
      mu[i] *= scale;
    }
    return mu;
  }

  /** Rows of partition {@code index}. */
  public long partitionRows(int index) {
    return rows / partitions + (index < rows % partitions ? 1 : 0);
  }

  @Override
  public int partitionCount() {
    return partitions;
  }

  @Override
  public int columns() {
    return dimension;
  }

  @Override
  public boolean freshCopies() {
    return true;
  }

  @Override
  public Matrix partition(int index) {
    if (index < 0 || index >= partitions) {
      throw new InvalidArgumentException(ErrorCode.OUT_OF_BOUNDS,
          "SpikedCovarianceModel: partition " + index + " is outside [0, " + partitions + ").", "");
    }
    int r = (int) partitionRows(index);
    int k = spikes.length;
    Matrix scaledBasisT = truth().transposeCopy();
    for (int j = 0; j < k; j++) {
      double s = Math.sqrt(spikes[j]);
      for (int a = 0; a < dimension; a++) {
        scaledBasisT.set(j, a, scaledBasisT.get(j, a) * s);
      }
    }
    SplittableRandom random = new SplittableRandom(Seeds.forPartition(seed, index));
    Matrix z = gaussian(random, r, k);
    Matrix x = gaussian(random, r, dimension);
    double[] mu = mean();
    double[] data = x.f64();
    for (int i = 0; i < r; i++) {
      int base = i * dimension;
      for (int a = 0; a < dimension; a++) {
        data[base + a] = noise * data[base + a] + mu[a];
      }
    }
    Compute.reference().gemm(Transpose.N, Transpose.N, 1.0, z, scaledBasisT, 1.0, x);
    return x;
  }

  private static Matrix gaussian(SplittableRandom random, int rows, int cols) {
    double[] a = new double[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextGaussian();
    }
    return Matrix.wrap(a, rows, cols);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpikedCovarianceModel m && dimension == m.dimension && java.util.Arrays.equals(spikes, m.spikes)
        && noise == m.noise && rows == m.rows && partitions == m.partitions && meanNorm == m.meanNorm && seed == m.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dimension, java.util.Arrays.hashCode(spikes), noise, rows, partitions, meanNorm, seed);
  }

  @Override
  public String toString() {
    return "SpikedCovarianceModel[d=" + dimension + ", spikes=" + java.util.Arrays.toString(spikes) + ", noise=" + noise
        + ", rows=" + rows + ", partitions=" + partitions + ", meanNorm=" + meanNorm + ", seed=" + seed + "]";
  }
}
