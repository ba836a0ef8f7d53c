package structura.algorithms.eval;

import java.util.Arrays;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A linear probe: multinomial (softmax) logistic regression with an L2 penalty, fit in double
 * precision on standardised features by L-BFGS. Measures how much class information a set of
 * embeddings carries linearly, so that the embeddings of a compressed model can be compared with
 * those of its original.
 *
 * <p>Model: features are standardised with the training set's mean and (population) standard
 * deviation, {@code z = (x - μ) / σ} (a constant feature gets σ = 1); class scores are
 * {@code s_k = w_kᵀ z + b_k} for {@code k < K}; the prediction is {@code argmax_k s_k}. The fit
 * minimises, as scikit-learn's {@code LogisticRegression(C)} does with its lbfgs solver,
 * <pre>  Σ_i −log softmax(s(z_i))_{y_i} + ‖W‖²_F / (2C)</pre>
 * with the intercepts unpenalised, divided by n for conditioning (same minimiser). Every
 * number of classes K ≥ 2 uses the softmax form with K weight vectors; for K = 2 this equals
 * binary logistic regression {@code w = w₁ − w₀} with penalty {@code ‖w‖² / (4C)}, that is
 * scikit-learn's binary fit at {@code 2C} (at the optimum {@code w₀ = −w₁}). The objective is
 * strictly convex in W, so the solution is unique up to a common shift of the intercepts (the
 * shift that makes them sum to zero is reported).
 *
 * <p>Cost: each objective and gradient evaluation is O(n·d·K) flops; a fit takes tens to a few
 * hundred of them. Memory O(n·d) for the standardised copy plus O(m·K·d) for the L-BFGS history.
 *
 * <p>Instances are immutable; {@link #fit} returns a fitted probe.
 */
public final class LogisticRegressionProbe {
  /** Default inverse regularisation strength, scikit-learn's default. */
  public static final double DEFAULT_C = 1.0;

  /**
   * Solver settings.
   *
   * @param c inverse regularisation strength (&gt; 0); larger fits the training data more closely
   * @param gradientTolerance stop when the max-norm of the gradient of the (per-sample) objective is at most this
   * @param maxIterations L-BFGS iteration cap
   */
  public record Options(double c, double gradientTolerance, int maxIterations) {
    /** Validates. */
    public Options {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "the probe's C must be a positive finite number, got " + c + ".",
            "Pass for example --probe-c 1.0.");
      }
      if (!(gradientTolerance > 0) || maxIterations < 1) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "gradientTolerance must be > 0 and maxIterations ≥ 1, got "
            + gradientTolerance + " and " + maxIterations + ".", "Use the defaults of Options.defaults().");
      }
    }

    /** C = 1, gradient tolerance 1e-8, 2000 iterations. */
    public static Options defaults() {
      return new Options(DEFAULT_C, 1e-8, 2000);
    }

    /** The defaults with another C. */
    public Options withC(double c) {
      return new Options(c, gradientTolerance, maxIterations);
    }
  }

  private final int classes;
  private final int dim;
  private final double[] mean;
  private final double[] scale;
  private final double[] weights;   // K × d, row-major, in standardised coordinates
  private final double[] intercepts;
  private final int iterations;
  private final boolean converged;
  private final double gradientNorm;

  private LogisticRegressionProbe(int classes, int dim, double[] mean, double[] scale, double[] weights, double[] intercepts,
      int iterations, boolean converged, double gradientNorm) {
    this.classes = classes;
    this.dim = dim;
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
    this.intercepts = intercepts;
    this.iterations = iterations;
    this.converged = converged;
    this.gradientNorm = gradientNorm;
  }

  /**
   * Fits the probe.
   *
   * @param x n × d features, row i the features of sample i (not modified)
   * @param y n class indices in {@code [0, classes)}
   * @param classes K ≥ 2
   * @throws StructuraException {@code INVALID_ARGUMENT} on empty or ragged input, labels out of
   *     range, or fewer than two distinct classes present; {@code INVALID_INPUT} on NaN or infinite features
   */
  public static LogisticRegressionProbe fit(double[][] x, int[] y, int classes, Options options) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "the probe needs n ≥ 1 samples with one label each, got "
          + n + " samples and " + y.length + " labels.", "Pass as many labels as rows.");
    }
    int d = x[0].length;
    boolean[] present = new boolean[Math.max(classes, 0)];
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (x[i].length != d) {
        throw new StructuraException(ErrorCode.DIMENSION_MISMATCH, "probe features: row " + i + " has " + x[i].length
            + " values, row 0 has " + d + ".", "Pass rows of equal length.");
      }
      if (y[i] < 0 || y[i] >= classes) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "probe label " + y[i] + " of sample " + i + " is outside [0, "
            + classes + ").", "Map labels to 0..K-1.");
      }
      if (!present[y[i]]) {
        present[y[i]] = true;
        distinct++;
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new StructuraException(ErrorCode.INVALID_INPUT, "probe feature (" + i + ", " + j + ") is " + x[i][j] + ".",
              "Remove non-finite embeddings (a model producing NaN is broken).");
        }
      }
    }
    if (distinct < 2) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "the probe's training labels hold " + distinct
          + " class; a classifier needs at least two.", "Train on data with at least two classes.");
    }
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        double c = row[j] - mean[j];
        scale[j] += c * c;
      }
    }
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(scale[j] / n);
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;   // a constant feature carries nothing
    }
    double[] z = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i * d + j] = (x[i][j] - mean[j]) / scale[j];
      }
    }
    Objective f = new Objective(z, y, n, d, classes, 1.0 / (options.c() * n));
    double[] theta = new double[classes * (d + 1)];
    Lbfgs.Result r = Lbfgs.minimize(f, theta, options.gradientTolerance(), options.maxIterations());
    double[] w = Arrays.copyOf(r.x(), classes * d);
    double[] b = Arrays.copyOfRange(r.x(), classes * d, classes * (d + 1));
    double shift = Arrays.stream(b).average().orElse(0);   // the softmax is blind to a common shift
    for (int k = 0; k < classes; k++) {
      b[k] -= shift;
    }
    return new LogisticRegressionProbe(classes, d, mean, scale, w, b, r.iterations(), r.converged(), r.gradientNorm());
  }

  /** The grid {@link #crossValidate} searches by default: C = 10⁻³, 10⁻², …, 10³. */
  public static final double[] DEFAULT_C_GRID = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1000};

  /**
   * The result of a cross-validated choice of C.
   *
   * @param grid the C values tried, ascending
   * @param accuracy mean held-out accuracy of each C over the folds
   * @param folds number of folds
   * @param best the C with the highest mean accuracy (the smallest such C on ties: the strongest
   *     regularization that does as well)
   */
  public record CrossValidation(double[] grid, double[] accuracy, int folds, double best) {}

  /**
   * Chooses C by stratified k-fold cross-validation on the training set: the samples of each
   * class are shuffled (seeded) and dealt round-robin into {@code folds} folds, each C is fit on
   * k−1 folds and scored on the held-out one, and the C with the best mean held-out accuracy wins.
   * Every model under comparison gets its own C this way, so that no model is judged at a
   * regularization tuned for another (SentEval tunes its probes the same way).
   *
   * <p>Cost: {@code grid.length · folds} fits on {@code (k−1)/k} of the data.
   *
   * @param x n × d features (not modified)
   * @param y n labels in {@code [0, classes)}
   * @param grid C values to try (positive, finite)
   * @param folds k, 2 ≤ k ≤ the size of the smallest class
   * @param seed shuffling seed
   * @param options solver settings (their C is ignored)
   * @throws StructuraException {@code INVALID_ARGUMENT} for an empty grid or a class smaller than k
   */
  public static CrossValidation crossValidate(double[][] x, int[] y, int classes, double[] grid, int folds, long seed,
      Options options) {
    int n = x.length;
    if (grid.length == 0 || folds < 2 || y.length != n) {
      throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "cross-validation needs a non-empty C grid, at least 2 folds"
          + " and one label per sample; got " + grid.length + " values, " + folds + " folds, " + n + " samples and "
          + y.length + " labels.", "Pass a grid such as DEFAULT_C_GRID and 5 folds.");
    }
    double[] sorted = grid.clone();
    Arrays.sort(sorted);
    int[] fold = new int[n];
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int c = 0; c < classes; c++) {
      int cc = c;
      int[] members = java.util.stream.IntStream.range(0, n).filter(i -> y[i] == cc).toArray();
      if (members.length > 0 && members.length < folds) {
        throw new StructuraException(ErrorCode.INVALID_ARGUMENT, "class " + c + " has " + members.length
            + " training samples, fewer than the " + folds + " cross-validation folds.",
            "Pass more training texts of every class, or a fixed --probe-c.");
      }
      for (int i = members.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = members[i];
        members[i] = members[j];
        members[j] = t;
      }
      for (int i = 0; i < members.length; i++) {
        fold[members[i]] = i % folds;
      }
    }
    double[] accuracy = new double[sorted.length];
    for (int f = 0; f < folds; f++) {
      int ff = f;
      int[] trainIdx = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] != ff).toArray();
      int[] testIdx = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] == ff).toArray();
      double[][] xTrain = rows(x, trainIdx);
      int[] yTrain = java.util.Arrays.stream(trainIdx).map(i -> y[i]).toArray();
      double[][] xTest = rows(x, testIdx);
      int[] yTest = java.util.Arrays.stream(testIdx).map(i -> y[i]).toArray();
      for (int g = 0; g < sorted.length; g++) {
        accuracy[g] += fit(xTrain, yTrain, classes, options.withC(sorted[g])).accuracy(xTest, yTest) / folds;
      }
    }
    int best = 0;
    for (int g = 1; g < sorted.length; g++) {
      if (accuracy[g] > accuracy[best] + 1e-12) {
        best = g;
      }
    }
    return new CrossValidation(sorted, accuracy, folds, sorted[best]);
  }

  /** Predicted class of each row of {@code x} (n × d). Cost O(n·d·K). */
  public int[] predict(double[][] x) {
    int[] out = new int[x.length];
    double[] s = new double[classes];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != dim) {
        throw new StructuraException(ErrorCode.DIMENSION_MISMATCH, "probe input row " + i + " has " + x[i].length
            + " features; the probe was fit on " + dim + ".", "Pass embeddings of the same model width.");
      }
      scores(x[i], s);
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (s[k] > s[best]) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** The rows {@code idx} of {@code x} (shared, not copied). */
  private static double[][] rows(double[][] x, int[] idx) {
    return java.util.Arrays.stream(idx).mapToObj(i -> x[i]).toArray(double[][]::new);
  }

  /** Fraction of rows whose prediction equals {@code y}. */
  public double accuracy(double[][] x, int[] y) {
    int[] p = predict(x);
    int hits = 0;
    for (int i = 0; i < p.length; i++) {
      hits += p[i] == y[i] ? 1 : 0;
    }
    return p.length == 0 ? Double.NaN : (double) hits / p.length;
  }

  private void scores(double[] row, double[] s) {
    for (int k = 0; k < classes; k++) {
      double acc = intercepts[k];
      for (int j = 0; j < dim; j++) {
        acc += weights[k * dim + j] * ((row[j] - mean[j]) / scale[j]);
      }
      s[k] = acc;
    }
  }

  /** Weight vector of class k in standardised coordinates (a copy, length d). */
  public double[] weights(int k) {
    return Arrays.copyOfRange(weights, k * dim, (k + 1) * dim);
  }

  /** Intercepts (a copy, length K, summing to zero). */
  public double[] intercepts() {
    return intercepts.clone();
  }

  /** L-BFGS iterations used. */
  public int iterations() {
    return iterations;
  }

  /** Whether the gradient tolerance was reached (else the iteration cap or a stalled line search stopped it). */
  public boolean converged() {
    return converged;
  }

  /** Max-norm of the per-sample objective's gradient at the solution. */
  public double gradientNorm() {
    return gradientNorm;
  }

  /** Number of classes K. */
  public int classes() {
    return classes;
  }

  /** Mean cross-entropy plus penalty/n, and its gradient, over θ = [W (K·d, row-major); b (K)]. */
  static final class Objective implements Lbfgs.Function {
    private final double[] z;
    private final int[] y;
    private final int n;
    private final int d;
    private final int k;
    private final double lambda;

    Objective(double[] z, int[] y, int n, int d, int k, double lambda) {
      this.z = z;
      this.y = y;
      this.n = n;
      this.d = d;
      this.k = k;
      this.lambda = lambda;
    }

    @Override
    public double valueAndGradient(double[] theta, double[] grad) {
      Arrays.fill(grad, 0);
      double loss = 0;
      double[] s = new double[k];
      int bOff = k * d;
      for (int i = 0; i < n; i++) {
        int row = i * d;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double acc = theta[bOff + c];
          int w = c * d;
          for (int j = 0; j < d; j++) {
            acc += theta[w + j] * z[row + j];
          }
          s[c] = acc;
          max = Math.max(max, acc);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
          s[c] = Math.exp(s[c] - max);
          sum += s[c];
        }
        // −log p_y = log Σ exp(s) − s_y, evaluated shifted by max so that nothing overflows
        loss += Math.log(sum) - Math.log(s[y[i]]);
        for (int c = 0; c < k; c++) {
          double r = s[c] / sum - (c == y[i] ? 1 : 0);
          if (r != 0) {
            int w = c * d;
            for (int j = 0; j < d; j++) {
              grad[w + j] += r * z[row + j];
            }
            grad[bOff + c] += r;
          }
        }
      }
      double penalty = 0;
      for (int p = 0; p < bOff; p++) {
        penalty += theta[p] * theta[p];
        grad[p] = grad[p] / n + lambda * theta[p];
      }
      for (int c = 0; c < k; c++) {
        grad[bOff + c] /= n;
      }
      return loss / n + 0.5 * lambda * penalty;
    }
  }

  /** Exposed for tests: the objective's gradient max-norm at given weights and intercepts, on raw features. */
  static double gradientNormAt(double[][] x, int[] y, int classes, double c, LogisticRegressionProbe p) {
    int n = x.length;
    int d = p.dim;
    double[] z = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i * d + j] = (x[i][j] - p.mean[j]) / p.scale[j];
      }
    }
    double[] theta = new double[classes * (d + 1)];
    System.arraycopy(p.weights, 0, theta, 0, classes * d);
    System.arraycopy(p.intercepts, 0, theta, classes * d, classes);
    double[] g = new double[theta.length];
    new Objective(z, y, n, d, classes, 1.0 / (c * n)).valueAndGradient(theta, g);
    return Lbfgs.maxAbs(g);
  }
}
