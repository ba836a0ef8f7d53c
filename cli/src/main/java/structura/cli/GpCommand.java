package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import structura.formats.io.OutputPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import structura.algorithms.iterative.IterationListener;
import structura.algorithms.iterative.SolveResult;
import structura.algorithms.kernel.DenseGaussianProcess;
import structura.algorithms.kernel.FeatureGaussianProcess;
import structura.algorithms.kernel.IterativeGaussianProcess;
import structura.algorithms.kernel.IterativeGaussianProcessOptions;
import structura.algorithms.kernel.KernelNystrom;
import structura.algorithms.kernel.KernelNystromOptions;
import structura.algorithms.kernel.MarginalLikelihoodFit;
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.KernelOperator;
import structura.algorithms.kernel.fkt.FastKernelTransform;
import structura.algorithms.kernel.fkt.FktOptions;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;

/**
 * {@code structura gp}: Gaussian-process regression, training and test points from files with
 * the target as the last column. Hyperparameters (lengthscale and noise; the kernel variance is
 * the sample variance of the targets) are chosen by the largest log marginal likelihood over a
 * grid around the median pairwise distance, unless given. Prints the test RMSE, the mean
 * negative log predictive density, the hyperparameters and the time.
 *
 * <p>{@code --method dense}: the Cholesky GP on a seeded subsample of {@code --max-train} points,
 * hyperparameters by grid search. {@code --method lazy}: the exact GP on all training points by
 * preconditioned CG on the lazy kernel operator ({@link IterativeGaussianProcess}); lengthscale,
 * outputscale and noise by Adam on the stochastic marginal-likelihood gradient
 * ({@link MarginalLikelihoodFit}) on a seeded subsample of {@code --fit-points}; predictive
 * variances by LOVE or batched CG; optionally a Nyström-GP baseline with the same
 * hyperparameters. {@code --method fkt}: the same, with the CG GP's products with K + σ_n²I by the
 * fast kernel transform ({@code --fkt-order}, {@code --fkt-separation}, {@code --fkt-leaf}); the
 * hyperparameter fit on the subsample still uses the lazy exact products.
 */
@Command(name = "gp", exitCodeOnInvalidInput = ExitCodes.USAGE, mixinStandardHelpOptions = true,
    description = "Gaussian-process regression: RMSE, mean NLPD, fitted hyperparameters and time on a test file.")
final class GpCommand implements Callable<Integer> {
  private static final double[] LENGTHSCALE_FACTORS = {0.0625, 0.125, 0.25, 0.5, 1, 2};
  private static final double[] NOISE_FACTORS = {1e-4, 1e-3, 1e-2, 1e-1};

  private final Provider<BackendSelection> selection;

  @Spec
  CommandSpec spec;

  @Mixin
  FktFlags fktFlags;

  @Option(names = "--train", required = true, paramLabel = "FILE", description = "CSV or .npy; one point per row, target last.")
  Path train;

  @Option(names = "--test", required = true, paramLabel = "FILE", description = "Same format and dimension as --train.")
  Path test;

  @Option(names = "--kernel", defaultValue = "matern52", paramLabel = "NAME", description = "Kernel name (default ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--method", defaultValue = "dense",
      description = "dense (Cholesky, subsampled to --max-train), lazy (CG on the lazy kernel operator, all points) or fkt "
          + "(CG on the fast kernel transform, all points) (default ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--fit-points", defaultValue = "3000", paramLabel = "N",
      description = "lazy: seeded subsample on which the hyperparameters are fitted (default ${DEFAULT-VALUE}).")
  int fitPoints;

  @Option(names = "--fit-iterations", defaultValue = "50", paramLabel = "K",
      description = "lazy: Adam steps on the marginal likelihood (default ${DEFAULT-VALUE}).")
  int fitIterations;

  @Option(names = "--cg-tolerance", defaultValue = "1e-6", paramLabel = "T",
      description = "lazy: relative residual of the prediction CG solves; the fit's solves stop at max(T, 1e-2) (default ${DEFAULT-VALUE}).")
  double cgTolerance;

  @Option(names = "--cg-max-iterations", defaultValue = "1000", paramLabel = "K",
      description = "lazy, fkt: cap on the iterations of each CG solve; a solve stopped by it is reported as not converged "
          + "(default ${DEFAULT-VALUE}).")
  int cgMaxIterations;

  @Option(names = "--preconditioner", defaultValue = "vecchia", paramLabel = "vecchia|pivoted-cholesky",
      description = "lazy, fkt: preconditioner of the CG solves: vecchia (sparse inverse-Cholesky factor on nearest earlier "
          + "points, for local kernels and small noise) or pivoted-cholesky (low rank plus noise, for long lengthscales) "
          + "(default ${DEFAULT-VALUE}; docs/iterative.md).")
  String preconditioner;

  @Option(names = "--preconditioner-rank", defaultValue = "100", paramLabel = "R",
      description = "lazy, fkt: pivoted-Cholesky preconditioner rank (default ${DEFAULT-VALUE}).")
  int preconditionerRank;

  @Option(names = "--preconditioner-neighbours", defaultValue = "30", paramLabel = "M",
      description = "lazy, fkt: neighbours per point of the vecchia preconditioner (default ${DEFAULT-VALUE}).")
  int neighbours;

  @Option(names = "--love-rank", defaultValue = "100", paramLabel = "K",
      description = "lazy, fkt: Lanczos steps of the LOVE variance cache, one product each (default ${DEFAULT-VALUE}).")
  int loveRank;

  @Option(names = "--variance", defaultValue = "love", paramLabel = "cg|love|nearest",
      description = "lazy, fkt: predictive variances by LOVE (Lanczos cache), batched CG, or nearest (exact conditional "
          + "variance given the --preconditioner-neighbours nearest training points: an upper bound) (default ${DEFAULT-VALUE}).")
  String varianceMethod;

  @Option(names = "--nystrom-baseline", defaultValue = "0", paramLabel = "R",
      description = "lazy: also report a Nyström-GP baseline with R uniform landmarks and the same hyperparameters (0 = off).")
  int nystromRank;

  @Option(names = "--lengthscale", paramLabel = "L", description = "Fix the lengthscale instead of fitting it.")
  Double lengthscale;

  @Option(names = "--noise", paramLabel = "S2", description = "Fix the noise variance instead of fitting it.")
  Double noise;

  @Option(names = "--outputscale", paramLabel = "S2",
      description = "lazy, fkt: fix the outputscale σ_f² (default: the sample variance of the targets, or the fitted one).")
  Double outputscale;

  @Option(names = "--max-train", defaultValue = "2000", paramLabel = "N",
      description = "Subsample the training set to at most N points for the dense GP (default ${DEFAULT-VALUE}).")
  int maxTrain;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for the subsample (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--force", description = "Replace an existing --json file.")
  boolean force;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (rmse, mean_nlpd, seconds, ...).")
  Path json;

  @Inject
  GpCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    new OutputPlan(force).input("--train", train).input("--test", test).output("--json", json, OutputPlan.Shape.FILE).check();
    if (!method.equals("dense") && !method.equals("lazy") && !method.equals("fkt")) {
      throw new ParameterException(spec.commandLine(), "--method must be dense, lazy or fkt, not '" + method + "'.");
    }
    if (!varianceMethod.equals("cg") && !varianceMethod.equals("love") && !varianceMethod.equals("nearest")) {
      throw new ParameterException(spec.commandLine(), "--variance must be cg, love or nearest, not '" + varianceMethod + "'.");
    }
    if (!preconditioner.equals("vecchia") && !preconditioner.equals("pivoted-cholesky")) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--preconditioner " + preconditioner
          + " is not vecchia or pivoted-cholesky.", "Pass --preconditioner vecchia (local kernels, small noise) or pivoted-cholesky.");
    }
    if (cgMaxIterations < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--cg-max-iterations " + cgMaxIterations + " must be at least 1.",
          "Pass for example --cg-max-iterations 1000.");
    }
    if (neighbours < 1 || preconditionerRank < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--preconditioner-neighbours " + neighbours
          + " and --preconditioner-rank " + preconditionerRank + ".", "Pass --preconditioner-neighbours ≥ 1 and --preconditioner-rank ≥ 0.");
    }
    if (outputscale != null && !(outputscale > 0)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "--outputscale " + outputscale + " must be positive.",
          "Pass the prior variance σ_f² of the targets, e.g. their sample variance.");
    }
    if (maxTrain < 2) {
      throw new ParameterException(spec.commandLine(), "--max-train must be at least 2.");
    }
    PrintWriter out = spec.commandLine().getOut();
    RadialKernel.Kind kind = KernelFunction.kindNamed(kernel);
    Matrix tr = PointsFile.read(train);
    Matrix te = PointsFile.read(test);
    if (tr.cols() < 2) {
      throw new StructuraException(ErrorCode.DATA_FORMAT, "Training file " + train + " has " + tr.cols() + " column; it needs the "
          + "coordinates and the target (last column).", "Write each training point as x1,...,xd,y.");
    }
    if (te.cols() != tr.cols()) {
      throw new StructuraException(ErrorCode.DIMENSION_MISMATCH, "Test file " + test + " has " + (te.cols() - 1)
          + " coordinates per point but training file " + train + " has " + (tr.cols() - 1) + ".",
          "Pass test points with the same coordinates as the training points, target last.");
    }
    if (method.equals("lazy") || method.equals("fkt")) {
      return iterative(out, kind, tr, te);
    }
    long t0 = System.nanoTime();
    int[] rows = subsample(tr.rows(), maxTrain, new SplittableRandom(seed));
    Matrix x = coordinates(tr, rows);
    double[] y = targets(tr, rows);
    int[] all = new int[te.rows()];
    Arrays.setAll(all, i -> i);
    Matrix xs = coordinates(te, all);
    double[] ys = targets(te, all);
    out.printf("%d training points (of %d) and %d test points in %d-D, kernel %s%n", x.rows(), tr.rows(), xs.rows(), x.cols(), kind);
    double variance = Math.max(sampleVariance(y), 1e-12);
    double median = medianDistance(x, new SplittableRandom(seed + 1));
    double[] lengthscales = lengthscale != null ? new double[] {lengthscale} : scaled(LENGTHSCALE_FACTORS, median);
    double[] noises = noise != null ? new double[] {noise} : scaled(NOISE_FACTORS, variance);
    DenseGaussianProcess best = null;
    try (Compute compute = selection.get().open()) {
      int step = 0;
      for (double l : lengthscales) {
        for (double s2 : noises) {
          step++;
          DenseGaussianProcess gp = DenseGaussianProcess.fit(KernelFunction.isotropic(kind, l, variance), x, y, s2, true, compute);
          out.printf("  fit %d/%d: lengthscale %.4g, noise %.3g: log marginal likelihood %.6g%n", step,
              lengthscales.length * noises.length, l, s2, gp.logMarginalLikelihood());
          out.flush();
          if (best == null || gp.logMarginalLikelihood() > best.logMarginalLikelihood()) {
            best = gp;
          }
        }
      }
      double[] mean = best.predictMean(xs);
      double[] var = best.predictVariance(xs);
      double sse = 0;
      double nlpd = 0;
      for (int i = 0; i < ys.length; i++) {
        double e = ys[i] - mean[i];
        sse += e * e;
        nlpd += 0.5 * Math.log(2 * Math.PI * var[i]) + e * e / (2 * var[i]);
      }
      double seconds = (System.nanoTime() - t0) * 1e-9;
      double rmse = Math.sqrt(sse / ys.length);
      double meanNlpd = nlpd / ys.length;
      double l = best.kernel().lengthscales()[0];
      out.printf("test RMSE %.6g, mean NLPD %.6g; lengthscale %.4g, variance %.4g, noise %.4g; %.2f s%n", rmse, meanNlpd, l, variance,
          best.noise(), seconds);
      if (json != null) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("train", train.toString());
        report.put("test", test.toString());
        report.put("n_train", x.rows());
        report.put("n_test", xs.rows());
        report.put("kernel", kind.name());
        report.put("method", method);
        report.put("lengthscale", l);
        report.put("variance", variance);
        report.put("noise", best.noise());
        report.put("log_marginal_likelihood", best.logMarginalLikelihood());
        report.put("rmse", rmse);
        report.put("mean_nlpd", meanNlpd);
        report.put("seconds", seconds);
        JsonReport.write(json, report, force);
        out.println("Report: " + json);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * {@code --method lazy} and {@code fkt}: MLL fit on a subsample (lazy exact products), then the
   * CG GP on all training points, its products by the lazy operator or by the FKT with the noise.
   */
  private int iterative(PrintWriter out, RadialKernel.Kind kind, Matrix tr, Matrix te) {
    long t0 = System.nanoTime();
    // --max-train subsamples the lazy GP's training set only when given explicitly (to measure a
    // subsample and extrapolate); by default the lazy method uses every training point.
    boolean capped = spec.commandLine().getParseResult().hasMatchedOption("--max-train");
    int[] all = subsample(tr.rows(), capped ? maxTrain : tr.rows(), new SplittableRandom(seed));
    Matrix x = coordinates(tr, all);
    double[] y = targets(tr, all);
    int[] allTest = new int[te.rows()];
    Arrays.setAll(allTest, i -> i);
    Matrix xs = coordinates(te, allTest);
    double[] ys = targets(te, allTest);
    out.printf("%d training points (of %d) and %d test points in %d-D, kernel %s, method %s (CG)%n", x.rows(), tr.rows(), xs.rows(),
        x.cols(), kind, method);
    out.flush();
    IterationListener progress = new IterationListener() {
      @Override
      public void iteration(String m, int iteration, double residual) {
        if (m.equals("MarginalLikelihoodFit") || iteration % 25 == 0) {
          out.printf("    %s iteration %d: %.3g%n", m, iteration, residual);
          out.flush();
        }
      }
    };
    IterativeGaussianProcessOptions options = IterativeGaussianProcessOptions.defaults().withCgTolerance(cgTolerance)
        .withMaxIterations(cgMaxIterations).withPreconditionerRank(preconditionerRank).withLoveRank(loveRank).withSeed(seed).withListener(progress)
        .withPreconditioner(preconditioner.equals("vecchia") ? IterativeGaussianProcessOptions.PreconditionerKind.VECCHIA
            : IterativeGaussianProcessOptions.PreconditionerKind.PIVOTED_CHOLESKY)
        .withNeighbours(neighbours)
        .withVarianceMethod(switch (varianceMethod) {
          case "cg" -> IterativeGaussianProcessOptions.VarianceMethod.CG;
          case "nearest" -> IterativeGaussianProcessOptions.VarianceMethod.NEAREST;
          default -> IterativeGaussianProcessOptions.VarianceMethod.LOVE;
        });
    double variance = outputscale != null ? outputscale : Math.max(sampleVariance(y), 1e-12);
    KernelFunction k = KernelFunction.isotropic(kind, lengthscale != null ? lengthscale
        : medianDistance(x, new SplittableRandom(seed + 1)), variance);
    double s2 = noise != null ? noise : variance / 10;
    Map<String, Object> report = new LinkedHashMap<>();
    try (Compute compute = selection.get().open()) {
      if (lengthscale == null || noise == null) {
        int[] rows = subsample(x.rows(), Math.max(2, fitPoints), new SplittableRandom(seed + 2));
        out.printf("Stage 1/3: fitting lengthscale, outputscale and noise on %d points (%d Adam steps, %d probes) ...%n", rows.length,
            fitIterations, options.probes());
        out.flush();
        long tf = System.nanoTime();
        Matrix fx = Matrix.zeros(DType.F64, rows.length, x.cols());
        double[] fy = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          fx.row(i).copyFrom(x.row(rows[i]));
          fy[i] = y[rows[i]];
        }
        // The marginal likelihood is multimodal in the lengthscale (a long one explains the data as
        // trend plus noise, a short one as signal): start Adam from the best point of the dense grid
        // on at most 1000 of the fit points, as the dense method does.
        int[] gridRows = subsample(rows.length, 1000, new SplittableRandom(seed + 3));
        Matrix gx = coordinates(withTargets(fx, fy), gridRows);
        double[] gy = targets(withTargets(fx, fy), gridRows);
        double gridBest = Double.NEGATIVE_INFINITY;
        for (double l : lengthscale != null ? new double[] {lengthscale} : scaled(LENGTHSCALE_FACTORS, k.lengthscales()[0])) {
          for (double n2 : noise != null ? new double[] {noise} : scaled(NOISE_FACTORS, variance)) {
            double lml = DenseGaussianProcess.fit(KernelFunction.isotropic(kind, l, variance), gx, gy, n2, true, compute)
                .logMarginalLikelihood();
            if (lml > gridBest) {
              gridBest = lml;
              k = KernelFunction.isotropic(kind, l, variance);
              s2 = n2;
            }
          }
        }
        out.printf("  start from the dense grid's best on %d points: lengthscale %.4g, noise %.4g%n", gridRows.length,
            k.lengthscales()[0], s2);
        out.flush();
        // The gradient only needs rough solves (GPyTorch trains with CG tolerance 1): 1e-2 here.
        MarginalLikelihoodFit.Result fit = new MarginalLikelihoodFit(compute, options.withCgTolerance(Math.max(cgTolerance, 1e-2)),
            fitIterations, 0.1).fit(k, s2, fx, fy, true);
        k = lengthscale != null ? KernelFunction.isotropic(kind, lengthscale, fit.kernel().variance()) : fit.kernel();
        k = outputscale != null ? k.withVariance(outputscale) : k;
        s2 = noise != null ? noise : fit.noise();
        report.put("fit_seconds", (System.nanoTime() - tf) * 1e-9);
        report.put("fit_points", rows.length);
        report.put("fit_iterations", fitIterations);
      }
      out.printf("Stage 2/3: CG solve on all %d points (lengthscale %.4g, outputscale %.4g, noise %.4g) ...%n", x.rows(),
          k.lengthscales()[0], k.variance(), s2);
      out.flush();
      long ts = System.nanoTime();
      IterativeGaussianProcess gp;
      if (method.equals("fkt")) {
        FktOptions fo = fktFlags.explicit();
        FastKernelTransform fkt = FastKernelTransform.factor(k, x, fo, compute);
        out.printf("  FKT factorised in %.3f s (%s): %d nodes, depth %d%n", fkt.factorSeconds(), FktFlags.describe(fkt),
            fkt.nodeCount(), fkt.depth());
        out.flush();
        FktFlags.report(fkt, report);
        report.put("fkt_factor_seconds", fkt.factorSeconds());
        gp = IterativeGaussianProcess.fit(k, x, y, s2, true, fkt.withNoise(s2), options, compute);
      } else {
        gp = IterativeGaussianProcess.fit(k, x, y, s2, true, options, compute);
      }
      SolveResult solve = gp.meanSolve();
      double solveSeconds = (System.nanoTime() - ts) * 1e-9;
      out.printf("  CG: %d iterations, relative residual %.3g%s; %.2f s with the preconditioner (%.2f s) and factorisation%n",
          solve.iterations(), solve.maxResidual(), solve.converged() ? "" : " (NOT converged: results are approximate)", solveSeconds,
          gp.preconditionerSeconds());
      out.flush();
      report.put("preconditioner", preconditioner);
      report.put("preconditioner_neighbours", neighbours);
      report.put("preconditioner_seconds", gp.preconditionerSeconds());
      if (method.equals("fkt")) {
        // The CG residual is measured with the FKT's products; check the solution against exact
        // F64 products with the lazy operator (one product, N² kernel entries).
        long tc = System.nanoTime();
        double exact = exactRelativeResidual(k, x, y, gp, compute);
        out.printf("  relative residual with exact F64 products (lazy operator): %.3g (%.2f s)%n", exact, (System.nanoTime() - tc) * 1e-9);
        out.flush();
        report.put("cg_exact_relative_residual", exact);
        report.put("exact_check_seconds", (System.nanoTime() - tc) * 1e-9);
      }
      out.println("Stage 3/3: predicting " + xs.rows() + " test points (" + varianceMethod + " variances) ...");
      out.flush();
      long tp = System.nanoTime();
      double[] mean = gp.predictMean(xs);
      double[] var = gp.predictVariance(xs);
      report.put("predict_seconds", (System.nanoTime() - tp) * 1e-9);
      double gpSeconds = (System.nanoTime() - ts) * 1e-9;
      double[] scores = scores(ys, mean, var);
      double seconds = (System.nanoTime() - t0) * 1e-9;
      out.printf("test RMSE %.6g, mean NLPD %.6g; lengthscale %.4g, outputscale %.4g, noise %.4g; %.2f s (CG GP %.2f s)%n", scores[0],
          scores[1], k.lengthscales()[0], k.variance(), s2, seconds, gpSeconds);
      report.put("train", train.toString());
      report.put("test", test.toString());
      report.put("n_train", x.rows());
      report.put("n_test", xs.rows());
      report.put("kernel", kind.name());
      report.put("method", method);
      report.put("lengthscale", k.lengthscales()[0]);
      report.put("variance", k.variance());
      report.put("noise", s2);
      report.put("cg_iterations", solve.iterations());
      report.put("cg_converged", solve.converged());
      report.put("cg_relative_residual", solve.maxResidual());
      report.put("solve_seconds", solveSeconds);
      report.put("preconditioner_rank", preconditionerRank);
      report.put("variance_method", varianceMethod);
      report.put("rmse", scores[0]);
      report.put("mean_nlpd", scores[1]);
      report.put("gp_seconds", gpSeconds);
      report.put("seconds", seconds);
      if (nystromRank > 0) {
        long tn = System.nanoTime();
        KernelNystrom.Result ny = new KernelNystrom(compute, new KernelNystromOptions(Math.min(nystromRank, x.rows()),
            KernelNystromOptions.Sampling.UNIFORM, seed)).fit(k, x);
        double[][] pred = FeatureGaussianProcess.fit(ny.factor(), y, s2, true, compute).predict(ny.features(xs));
        double[] ns = scores(ys, pred[0], pred[1]);
        double nSeconds = (System.nanoTime() - tn) * 1e-9;
        out.printf("Nyström-GP baseline (%d landmarks, same hyperparameters): test RMSE %.6g, mean NLPD %.6g; %.2f s%n",
            ny.landmarks().length, ns[0], ns[1], nSeconds);
        report.put("nystrom_rank", ny.landmarks().length);
        report.put("nystrom_rmse", ns[0]);
        report.put("nystrom_mean_nlpd", ns[1]);
        report.put("nystrom_seconds", nSeconds);
      }
    }
    if (json != null) {
      JsonReport.write(json, report, force);
      out.println("Report: " + json);
    }
    return ExitCodes.OK;
  }

  /** ‖(y − μ) − (K + σ²I)α‖ / ‖y − μ‖ with the lazy exact operator in F64. */
  private static double exactRelativeResidual(KernelFunction k, Matrix x, double[] y, IterativeGaussianProcess gp, Compute compute) {
    Matrix alpha = gp.weights();
    Matrix ka = KernelOperator.symmetric(k, x, compute).apply(alpha);
    double num = 0;
    double den = 0;
    for (int i = 0; i < y.length; i++) {
      double b = y[i] - gp.priorMean();
      double r = b - ka.get(i, 0) - gp.noise() * alpha.get(i, 0);
      num += r * r;
      den += b * b;
    }
    return Math.sqrt(num / den);
  }

  /** Points and targets side by side (targets last), the layout {@link #coordinates} and {@link #targets} read. */
  private static Matrix withTargets(Matrix x, double[] y) {
    Matrix m = Matrix.zeros(DType.F64, x.rows(), x.cols() + 1);
    for (int i = 0; i < x.rows(); i++) {
      for (int t = 0; t < x.cols(); t++) {
        m.set(i, t, x.get(i, t));
      }
      m.set(i, x.cols(), y[i]);
    }
    return m;
  }

  /** {RMSE, mean negative log predictive density} of Gaussian predictions. */
  private static double[] scores(double[] ys, double[] mean, double[] var) {
    double sse = 0;
    double nlpd = 0;
    for (int i = 0; i < ys.length; i++) {
      double e = ys[i] - mean[i];
      sse += e * e;
      nlpd += 0.5 * Math.log(2 * Math.PI * var[i]) + e * e / (2 * var[i]);
    }
    return new double[] {Math.sqrt(sse / ys.length), nlpd / ys.length};
  }

  private static int[] subsample(int n, int max, SplittableRandom rnd) {
    int[] idx = new int[n];
    Arrays.setAll(idx, i -> i);
    if (n <= max) {
      return idx;
    }
    for (int i = 0; i < max; i++) {  // partial Fisher–Yates
      int j = i + rnd.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] out = Arrays.copyOf(idx, max);
    Arrays.sort(out);
    return out;
  }

  private static Matrix coordinates(Matrix m, int[] rows) {
    Matrix x = Matrix.zeros(DType.F64, rows.length, m.cols() - 1);
    for (int i = 0; i < rows.length; i++) {
      for (int t = 0; t < m.cols() - 1; t++) {
        x.set(i, t, m.get(rows[i], t));
      }
    }
    return x;
  }

  private static double[] targets(Matrix m, int[] rows) {
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = m.get(rows[i], m.cols() - 1);
    }
    return y;
  }

  private static double sampleVariance(double[] y) {
    double mean = Arrays.stream(y).average().orElse(0);
    return Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, y.length - 1);
  }

  /** Median distance between 2000 random pairs of points (a scale for the lengthscale grid). */
  private static double medianDistance(Matrix x, SplittableRandom rnd) {
    double[] d = new double[2000];
    for (int s = 0; s < d.length; s++) {
      int i = rnd.nextInt(x.rows());
      int j = rnd.nextInt(x.rows());
      double r2 = 0;
      for (int t = 0; t < x.cols(); t++) {
        double diff = x.get(i, t) - x.get(j, t);
        r2 += diff * diff;
      }
      d[s] = Math.sqrt(r2);
    }
    Arrays.sort(d);
    return Math.max(d[d.length / 2], 1e-12);
  }

  private static double[] scaled(double[] factors, double scale) {
    double[] out = new double[factors.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = factors[i] * scale;
    }
    return out;
  }
}
