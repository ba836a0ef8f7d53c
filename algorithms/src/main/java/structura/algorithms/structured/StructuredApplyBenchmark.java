package structura.algorithms.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.operator.BlockTensorTrainOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.MonarchOperator;
import structura.api.operator.Operators;

/**
 * What structure buys in a matrix product: Monarch and block tensor-train {@code apply} on a
 * block of vectors against one dense GEMM with the same matrix, on one {@link Compute}. Meant for
 * {@code structura bench structured} and for the side-by-side benchmark in the tests.
 *
 * <p>Operators at d = {@code size} (a perfect square, divisible by 4; 4096 by default):
 * <ul>
 *   <li>Monarch, 4 blocks: R and L each 4 blocks of (d/4)×(d/4) (the reference MonarchLinear's
 *       default); FLOP ratio 2;</li>
 *   <li>Monarch, √d blocks (64 at d = 4096) of √d×√d; FLOP ratio √d/2;</li>
 *   <li>BTT, √d blocks: two cores, m = n = (√d, √d), rank 4; FLOP ratio √d/8;</li>
 *   <li>BTT, 4 blocks: m = (d/4, 4), n = (4, d/4), rank d/64 (64 at d = 4096); FLOP ratio 8.</li>
 * </ul>
 * Cores are Gaussian with the structure-aware init of {@link StructureAwareScaling}, seeded. The
 * dense matrix is the operator's {@code toDense()}. Each timing is the best of
 * {@code repetitions} after one untimed warm-up run.
 */
public final class StructuredApplyBenchmark {
  /**
   * Settings.
   *
   * @param size d, a perfect square divisible by 4 (default 4096)
   * @param batch number of vectors B per product (default 512)
   * @param repetitions timed runs per product, the best is kept (default 3)
   * @param dtype element type (default F32, the dtype of network weights)
   * @param seed seed of the cores and the input block (default 0)
   */
  public record Options(int size, int batch, int repetitions, DType dtype, long seed) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(dtype, "dtype");
      int root = (int) Math.round(Math.sqrt(size));
      if (size < 16 || root * root != size || size % 4 != 0 || batch < 1 || repetitions < 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
            "StructuredApplyBenchmark: size " + size + ", batch " + batch + ", repetitions " + repetitions + ".",
            "Use a size that is a perfect square divisible by 4 (e.g. 1024, 4096), batch >= 1 and repetitions >= 1.");
      }
    }

    /** d = 4096, 512 vectors, best of 3, F32, seed 0. */
    public static Options defaults() {
      return new Options(4096, 512, 3, DType.F32, 0);
    }

    /** The defaults at another size. */
    public Options withSize(int newSize) {
      return new Options(newSize, batch, repetitions, dtype, seed);
    }
  }

  /**
   * One measured product.
   *
   * @param operator what was applied
   * @param function always "apply"
   * @param n the dimension d
   * @param structuredSeconds best time of the structured apply
   * @param denseSeconds best time of the dense GEMM
   * @param speedup dense / structured time
   * @param relativeError ‖Wx − W_dense x‖_F / ‖W_dense x‖_F
   * @param flopRatio dense flops / structured flops (the speedup the structure promises)
   */
  public record Row(String operator, String function, int n, double structuredSeconds, double denseSeconds,
      double speedup, double relativeError, double flopRatio) {
    /** speedup / flopRatio: the share of the promised speedup that was realised. */
    public double fractionOfFlopRatio() {
      return speedup / flopRatio;
    }
  }

  /** A named structured operator of the benchmark with its dense form. */
  public record Case(String name, LinearOperator operator, long flopsPerVector) {}

  private StructuredApplyBenchmark() {}

  /** Runs every case of {@link #cases} and returns one row per case. */
  public static List<Row> run(Compute compute, Options options) {
    List<Row> rows = new ArrayList<>();
    Matrix x = gaussian(options.dtype(), options.size(), options.batch(), new SplittableRandom(options.seed() + 1));
    for (Case c : cases(compute, options)) {
      rows.add(measure(compute, c, x, options.repetitions()));
    }
    return rows;
  }

  /** The four operators described on this class. */
  public static List<Case> cases(Compute compute, Options options) {
    int d = options.size();
    int root = (int) Math.round(Math.sqrt(d));
    DType dtype = options.dtype();
    SplittableRandom rnd = new SplittableRandom(options.seed());
    List<Case> out = new ArrayList<>();
    out.add(monarch(compute, dtype, d, 4, rnd));
    out.add(monarch(compute, dtype, d, root, rnd));
    out.add(btt(compute, dtype, new int[] {root, root}, new int[] {root, root}, 4, options.seed(), "BTT " + root + " blocks, rank 4"));
    out.add(btt(compute, dtype, new int[] {d / 4, 4}, new int[] {4, d / 4}, Math.max(1, d / 64), options.seed(),
        "BTT 4 blocks, rank " + Math.max(1, d / 64)));
    return out;
  }

  /** Times {@code c}'s apply and the dense GEMM with its matrix on the columns of x. */
  public static Row measure(Compute compute, Case c, Matrix x, int repetitions) {
    LinearOperator op = c.operator();
    Matrix dense = op.toDense();
    Matrix[] structuredOut = new Matrix[1];
    Matrix[] denseOut = new Matrix[1];
    double structured = best(repetitions, () -> structuredOut[0] = op.apply(x));
    double gemm = best(repetitions, () -> denseOut[0] = compute.multiply(Transpose.N, dense, Transpose.N, x));
    double flopRatio = (double) 2L * op.rows() * op.cols() / c.flopsPerVector();
    return new Row(c.name(), "apply", op.cols(), structured, gemm, gemm / structured,
        relativeDifference(structuredOut[0], denseOut[0]), flopRatio);
  }

  /** Best wall time of {@code repetitions} runs after one warm-up, in seconds. */
  public static double best(int repetitions, Runnable r) {
    r.run();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  /** ‖a − b‖_F / ‖b‖_F in double. */
  public static double relativeDifference(Matrix a, Matrix b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double d = a.get(i, j) - b.get(i, j);
        diff += d * d;
        norm += b.get(i, j) * b.get(i, j);
      }
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }

  private static Case monarch(Compute compute, DType dtype, int d, int blocks, SplittableRandom rnd) {
    int b = d / blocks;
    double std = StructureAwareScaling.initStd(b, b);
    Matrix right = scaledGaussian(dtype, d, b, std, rnd);
    Matrix left = scaledGaussian(dtype, d, b, std, rnd);
    MonarchOperator m = (MonarchOperator) Operators.monarch(right, blocks, left, blocks, compute);
    return new Case("Monarch " + blocks + " blocks of " + b + "x" + b, m, m.flopsPerVector());
  }

  private static Case btt(Compute compute, DType dtype, int[] m, int[] n, int rank, long seed, String name) {
    int[] ranks = {1, rank, 1};
    List<StructureAwareScaling.CoreScaling> scaling = StructureAwareScaling.blockTensorTrain(m, n, ranks, 1,
        StructureAwareScaling.Optimizer.ADAM, m[0] * m[1], n[0] * n[1], false);
    BlockTensorTrainOperator op = (BlockTensorTrainOperator) Operators.blockTensorTrain(m, n, ranks,
        StructureAwareScaling.initialBlockTensorTrainCores(dtype, m, n, ranks, scaling, seed), compute);
    return new Case(name, op, op.flopsPerVector());
  }

  private static Matrix scaledGaussian(DType dtype, int rows, int cols, double std, SplittableRandom rnd) {
    Matrix m = Matrix.zeros(dtype, rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m.set(i, j, std * rnd.nextGaussian());
      }
    }
    return m;
  }

  private static Matrix gaussian(DType dtype, int rows, int cols, SplittableRandom rnd) {
    return scaledGaussian(dtype, rows, cols, 1, rnd);
  }
}
