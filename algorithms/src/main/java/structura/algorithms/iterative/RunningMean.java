package structura.algorithms.iterative;

/**
 * Welford's running mean and variance of a stream of samples, per component, so the standard
 * error is never formed as E[x²] − E[x]² (which cancels catastrophically).
 */
final class RunningMean {
  private final double[] mean;
  private final double[] m2;
  private int count;

  RunningMean(int components) {
    mean = new double[components];
    m2 = new double[components];
  }

  void add(double[] sample) {
    count++;
    for (int i = 0; i < mean.length; i++) {
      double d = sample[i] - mean[i];
      mean[i] += d / count;
      m2[i] += d * (sample[i] - mean[i]);
    }
  }

  int count() {
    return count;
  }

  double[] mean() {
    return mean.clone();
  }

  /** Standard error of each mean: √(s²/count) with the unbiased sample variance s². */
  double[] standardError() {
    double[] se = new double[mean.length];
    for (int i = 0; i < se.length; i++) {
      se[i] = count < 2 ? Double.POSITIVE_INFINITY : Math.sqrt(m2[i] / (count - 1) / count);
    }
    return se;
  }
}
