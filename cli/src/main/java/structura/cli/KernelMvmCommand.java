package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
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
import structura.algorithms.kernel.KernelFunction;
import structura.algorithms.kernel.HarmonicLowRank;
import structura.algorithms.kernel.HarmonicLowRankOptions;
import structura.algorithms.kernel.HarmonicSkeleton;
import structura.algorithms.kernel.KernelNystrom;
import structura.algorithms.kernel.KernelNystromOptions;
import structura.algorithms.kernel.KernelOperator;
import structura.algorithms.kernel.RandomFourierFeatures;
import structura.algorithms.kernel.fkt.FastKernelTransform;
import structura.algorithms.kernel.fkt.FktOptions;
import structura.api.operator.LinearOperator;
import structura.api.operator.LowRankOperator;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * {@code structura kernel mvm}: multiplies the kernel matrix of a point set by seeded random
 * vectors, with the dense matrix, the lazy tiled operator, the fast kernel transform (F64), or a
 * low-rank approximation (the tolerance-driven harmonic expansion, uniform Nyström, random Fourier
 * features), with the factorisation timed apart from the product, and prints the time and the
 * relative error against exact products (in double, entry by entry) on sampled rows.
 */
@Command(name = "mvm", exitCodeOnInvalidInput = ExitCodes.USAGE, mixinStandardHelpOptions = true,
    description = "Kernel matrix times vectors (dense, lazy, fkt or low rank); prints the time and the relative error on sampled rows.")
final class KernelMvmCommand implements Callable<Integer> {
  /** Product methods: exact (dense, lazy), the fast kernel transform, and three low-rank approximations. */
  enum Method { dense, lazy, fkt, lowrank, nystrom, rff }

  /** Above this many points the dense method would need more than 8N² = 3.2 GB. */
  static final int DENSE_MAX_POINTS = 20_000;

  private final Provider<BackendSelection> selection;

  @Spec
  CommandSpec spec;

  @Mixin
  FktFlags fktFlags;

  @Option(names = "--points", required = true, paramLabel = "FILE", description = "CSV or .npy file, one point per row.")
  Path points;

  @Option(names = "--kernel", defaultValue = "rbf", paramLabel = "NAME",
      description = "rbf, exponential, matern12, matern32, matern52, rq, cauchy or laplace (default ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--lengthscale", required = true, paramLabel = "L", description = "Lengthscale (> 0).")
  double lengthscale;

  @Option(names = "--variance", defaultValue = "1", description = "Kernel variance (default ${DEFAULT-VALUE}).")
  double variance;

  @Option(names = "--method", defaultValue = "lazy",
      description = "dense, lazy, fkt (fast kernel transform), lowrank (harmonic, tolerance-driven), nystrom (uniform landmarks) "
          + "or rff (random Fourier features) (default ${DEFAULT-VALUE}).")
  Method method;

  @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "T",
      description = "Relative tolerance of --method lowrank (default ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--rank", defaultValue = "500", paramLabel = "R",
      description = "Landmarks of --method nystrom, features of --method rff (default ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--sampling", defaultValue = "UNIFORM", paramLabel = "UNIFORM|RIDGE_LEVERAGE",
      description = "Landmark sampling of --method nystrom (default ${DEFAULT-VALUE}).")
  KernelNystromOptions.Sampling sampling;

  @Option(names = "--vectors", defaultValue = "1", paramLabel = "K", description = "Right-hand sides (default ${DEFAULT-VALUE}).")
  int vectors;

  @Option(names = "--dtype", defaultValue = "F32", description = "F32 or F64 (default ${DEFAULT-VALUE}).")
  DType dtype;

  @Option(names = "--sample", defaultValue = "200", paramLabel = "ROWS", description = "Rows checked exactly (default ${DEFAULT-VALUE}).")
  int sample;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--force", description = "Replace an existing --json file.")
  boolean force;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (relative_error, seconds, ...).")
  Path json;

  @Inject
  KernelMvmCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    new OutputPlan(force).input("--points", points).output("--json", json, OutputPlan.Shape.FILE).check();
    if (vectors < 1 || sample < 1) {
      throw new ParameterException(spec.commandLine(), "--vectors and --sample must be at least 1.");
    }
    if (!(tolerance > 0 && tolerance < 1) || rank < 1) {
      throw new ParameterException(spec.commandLine(), "--tolerance must be in (0, 1) and --rank at least 1.");
    }
    PrintWriter out = spec.commandLine().getOut();
    KernelFunction k = KernelFunction.isotropic(KernelFunction.kindNamed(kernel), lengthscale, variance);
    out.println("Reading " + points + " ...");
    out.flush();
    Matrix x64 = PointsFile.read(points);
    int n = x64.rows();
    if (method == Method.dense && n > DENSE_MAX_POINTS) {
      throw new ParameterException(spec.commandLine(), "--method dense would store a " + n + "x" + n + " matrix; use --method lazy above "
          + DENSE_MAX_POINTS + " points.");
    }
    if (method == Method.fkt && dtype != DType.F64) {
      out.println("The fast kernel transform computes in F64; using --dtype F64.");
      dtype = DType.F64;
    }
    Matrix x = x64.toDType(dtype);
    SplittableRandom rnd = new SplittableRandom(seed);
    Matrix v = Matrix.zeros(dtype, n, vectors);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < vectors; c++) {
        v.set(i, c, rnd.nextGaussian());
      }
    }
    out.printf("%d points in %d-D, kernel %s, method %s, %d vector(s), %s%n", n, x.cols(), k, method, vectors, dtype);
    Matrix result;
    double seconds;
    double factorSeconds = 0;
    FastKernelTransform fkt = null;
    int approximationRank = -1;
    try (Compute compute = selection.get().open()) {
      out.println("Backend: " + compute);
      out.flush();
      long t0 = System.nanoTime();
      if (method == Method.dense) {
        Matrix kk = KernelOperator.symmetric(k, x, compute).toDense();
        result = compute.multiply(Transpose.N, kk, Transpose.N, v);
      } else if (method == Method.fkt) {
        out.println("Factorising (tree and interaction lists) ...");
        out.flush();
        FktOptions options = fktFlags.options();
        fkt = FastKernelTransform.factor(k, x, options, compute);
        factorSeconds = fkt.factorSeconds();
        out.printf("factorised in %.3f s: %d nodes, depth %d, %d expansion terms per node (%s)%n", factorSeconds, fkt.nodeCount(),
            fkt.depth(), fkt.expansionTerms(), FktFlags.describe(fkt));
        out.println("Multiplying ...");
        out.flush();
        t0 = System.nanoTime();
        result = fkt.apply(v);
      } else if (method == Method.lazy) {
        result = KernelOperator.symmetric(k, x, compute).apply(v);
      } else {
        out.println("Factorising (" + method + ") ...");
        out.flush();
        LinearOperator approx = switch (method) {
          case lowrank -> {
            HarmonicSkeleton h = new HarmonicLowRank(compute, HarmonicLowRankOptions.ofTolerance(tolerance)).approximate(k, x64);
            out.println("  " + h);
            yield h.operator();
          }
          case nystrom -> new KernelNystrom(compute, new KernelNystromOptions(Math.min(rank, n), sampling, seed)).fit(k, x64).operator();
          case rff -> RandomFourierFeatures.draw(k, x64.cols(), rank, seed, compute).operator(x64);
          default -> throw new IllegalStateException(method.name());
        };
        approximationRank = approx instanceof LowRankOperator lr ? lr.rank() : -1;
        factorSeconds = (System.nanoTime() - t0) * 1e-9;
        out.printf("  rank %d, factorisation %.3f s%n", approximationRank, factorSeconds);
        out.flush();
        t0 = System.nanoTime();
        result = approx.apply(v.toDType(DType.F64));
      }
      seconds = (System.nanoTime() - t0) * 1e-9;
    }
    out.println("Checking " + Math.min(sample, n) + " sampled rows against exact double-precision products ...");
    out.flush();
    double error = sampledRelativeError(k, x, v, result, Math.min(sample, n), new SplittableRandom(seed + 1));
    double entries = (double) n * n;
    out.printf("time %.3f s (%.3g kernel entries/s), relative error on sampled rows %.3e%n", seconds, entries / seconds, error);
    if (json != null) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("points", points.toString());
      report.put("n", n);
      report.put("d", x.cols());
      report.put("kernel", k.toString());
      report.put("method", method.name());
      report.put("dtype", dtype.name());
      report.put("vectors", vectors);
      report.put("seconds", seconds);
      if (fkt != null || approximationRank >= 0) {
        report.put("factor_seconds", factorSeconds);
      }
      if (fkt != null) {
        FktFlags.report(fkt, report);
      }
      if (approximationRank >= 0) {
        report.put("rank", approximationRank);
        if (method == Method.lowrank) {
          report.put("tolerance", tolerance);
        }
        if (method == Method.nystrom) {
          report.put("sampling", sampling.name());
        }
      }
      report.put("entries_per_second", entries / seconds);
      report.put("relative_error", error);
      JsonReport.write(json, report, force);
      out.println("Report: " + json);
    }
    return ExitCodes.OK;
  }

  /** ‖got_S − exact_S‖_F / ‖exact_S‖_F over a random row sample S, exact = Σ_j k(x_i, x_j)·v_j in double. */
  static double sampledRelativeError(KernelFunction k, Matrix x, Matrix v, Matrix got, int sample, SplittableRandom rnd) {
    int n = x.rows();
    int d = x.cols();
    double num = 0;
    double den = 0;
    double[] xi = new double[d];
    double[] xj = new double[d];
    for (int s = 0; s < sample; s++) {
      int i = sample == n ? s : rnd.nextInt(n);
      for (int t = 0; t < d; t++) {
        xi[t] = x.get(i, t);
      }
      double[] exact = new double[v.cols()];
      for (int j = 0; j < n; j++) {
        for (int t = 0; t < d; t++) {
          xj[t] = x.get(j, t);
        }
        double kij = k.value(xi, xj);
        for (int c = 0; c < v.cols(); c++) {
          exact[c] += kij * v.get(j, c);
        }
      }
      for (int c = 0; c < v.cols(); c++) {
        double e = got.get(i, c) - exact[c];
        num += e * e;
        den += exact[c] * exact[c];
      }
    }
    return Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
  }
}
