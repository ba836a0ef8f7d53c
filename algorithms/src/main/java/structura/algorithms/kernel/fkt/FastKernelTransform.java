package structura.algorithms.kernel.fkt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import structura.algorithms.kernel.KernelFunction;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.LinearOperator;
import structura.api.operator.Structure;

/**
 * The fast kernel transform (FKT; J. P. Ryan, S. Ament, C. P. Gomes, A. Damle, "The Fast Kernel
 * Transform", AISTATS 2022, PMLR 151:11669–11690; after {@code jpryan1/FastKernelTransform.jl}):
 * the N×N kernel matrix K_ij = k(x_i, x_j) of one point set as a {@link LinearOperator} whose
 * product costs O(N log N) instead of O(N²), factorised once and multiplied many times.
 *
 * <p><b>Method.</b> {@link FktTree} bisects the (lengthscale-scaled) points into a binary tree of
 * boxes with bounding balls and gives each node the targets that are well separated from it
 * (distance ≥ radius/θ) for the first time (its far list); each leaf also gets its near list.
 * A product y = K̃·v is then
 * <ol>
 *   <li>for every node whose expansion pays off: the paper's {@code compression_is_efficient},
 *       M·(#src + #far) &lt; #src·#far, with M replaced by the cost of evaluating one point's
 *       features on the fly in units of one direct kernel entry (features are recomputed in each
 *       product here, not stored); for those nodes the source moments q = Σ_j s(x′_j)·v_jᵀ (the
 *       paper's s2o·v), turned into weights G⁻¹·q;</li>
 *   <li>for every far target of such a node: y_t += o(x_t)·weights (the paper's o2i), with the
 *       expansion of {@link FarFieldExpansion}: hyperspherical harmonics (Gegenbauer
 *       polynomials) of degree ≤ p times the kernel's radial Taylor coefficients, M = C(p+d, d)
 *       terms;</li>
 *   <li>for the other nodes' far lists and every leaf's near list: the exact block
 *       K(targets, leaf sources)·v through the backend's {@code PairwiseKernelRoutine}
 *       ({@link Compute#kernelMultiply}, the routine behind
 *       {@link structura.algorithms.kernel.KernelOperator}).</li>
 * </ol>
 * The s2o and o2i rows are evaluated on the fly in every product (the paper code's
 * {@code lazy = true}) rather than stored: memory stays O(N·(d + depth)) for the lists instead
 * of O(N·#far nodes·M) doubles, at the price of recomputing the features. Work is spread over
 * {@link FktOptions#threads()} threads, each summing into its own output buffer.
 *
 * <p><b>FMM path.</b> With {@link FktOptions#interpolationOrder()} q ≥ 1 and d ≤
 * {@link #FMM_MAX_DIMENSION}, the product runs as a fast multipole method instead
 * ({@code ChebyshevFmm}): the same outgoing expansions per box of an adaptive octree, translated
 * into Chebyshev local expansions (q^d nodes) of well-separated target boxes by precomputed
 * matrices applied as GEMMs, passed down by interpolation and evaluated once per target; O(N)
 * per product. With q = 0 the treecode below runs; {@link FktOptions#defaults()} (q = −1) takes
 * the FMM path for d ≤ 3 and the treecode for d ≥ 4, and an explicit q ≥ 1 with d ≥ 4 is an
 * error.
 *
 * <p><b>Accuracy</b> is set by the order p and the separation θ (FMM path: p and q); see {@link FktOptions} for how to
 * choose them for a tolerance. Every kernel of {@link structura.api.backend.RadialKernel.Kind} is
 * expanded (Gaussian, exponential, Matérn 1/2, 3/2, 5/2, rational quadratic, Cauchy, Laplace
 * 1/r), with ARD lengthscales folded into the points.
 *
 * <p><b>Costs.</b> Factorisation: the tree, O(N·depth), and the lists, O(N·#far nodes per
 * target); no kernel evaluations. Product with c columns: about N·depth·(n_dirs·(d+3p) + M·c)
 * for the moments, #far pairs·(n_dirs·(d+3p) + p³/4 + M·c) for the expansions and
 * #near pairs·(3d + 2c + c_κ) for the direct blocks. Memory: the points, the lists (one int per
 * far pair) and threads·N·c doubles of output buffers.
 *
 * <p><b>Symmetry.</b> K is symmetric and K̃ approximates it to the expansion's accuracy, but the
 * one-sided expansions make K̃ itself symmetric only to that accuracy. The operator is tagged
 * {@link Structure#SYMMETRIC} (and {@link Structure#PSD} for positive definite kernels) so CG,
 * CIQ and Lanczos accept it, and {@link #applyTranspose} applies K̃; use an order whose error is
 * well below the solver tolerance. For a GP, add the noise with {@link #withNoise} (K̃ + σ²I, same factorisation).
 *
 * <p>Immutable and thread-safe; products may run concurrently. The dtype is F64.
 */
public final class FastKernelTransform implements LinearOperator {
  /** The largest dimension accepted: beyond it C(p+d, d) outgrows any leaf at useful orders. */
  public static final int MAX_DIMENSION = 8;
  /** The largest dimension of the FMM path: q^d local values per box grow too fast beyond it. */
  public static final int FMM_MAX_DIMENSION = 3;
  private static final int CHUNK = 2048;
  /** Flops of one directly evaluated kernel entry: the distance (3d), κ (≈ 15 with an exp), the accumulation. */
  private static final double DIRECT_ENTRY_FLOPS = 25;

  private final KernelFunction kernel;
  private final FktOptions options;
  private final Compute compute;
  private final int n;
  private final int d;
  private final double[] points;
  private final double[] sortedPoints;
  private final FktTree tree;
  private final FarFieldExpansion expansion;
  private final boolean[] compressed;
  private final double noise;
  private final double factorSeconds;
  private final ForkJoinPool pool;
  /** The FMM path (null on the treecode path; then tree, expansion and compressed are set). */
  private final ChebyshevFmm fmm;

  private FastKernelTransform(KernelFunction kernel, FktOptions options, Compute compute, int n, int d, double[] points,
      double[] sortedPoints, FktTree tree, FarFieldExpansion expansion, boolean[] compressed, double noise,
      double factorSeconds, ForkJoinPool pool, ChebyshevFmm fmm) {
    this.kernel = kernel;
    this.options = options;
    this.compute = compute;
    this.n = n;
    this.d = d;
    this.points = points;
    this.sortedPoints = sortedPoints;
    this.tree = tree;
    this.expansion = expansion;
    this.compressed = compressed;
    this.noise = noise;
    this.factorSeconds = factorSeconds;
    this.pool = pool;
    this.fmm = fmm;
  }

  /** {@link #factor(KernelFunction, Matrix, FktOptions, Compute)} with the reference backend for the direct blocks. */
  public static FastKernelTransform factor(KernelFunction kernel, Matrix points, FktOptions options) {
    return factor(kernel, points, options, Compute.reference());
  }

  /**
   * Builds the tree and interaction lists for the N×d {@code points} (one per row, any dtype,
   * read in double): the factorisation, done once. Not modified: {@code points}.
   *
   * @param compute backend of the direct (near-field) kernel blocks
   * @throws InvalidArgumentException an explicit interpolation order q ≥ 1 with d &gt;
   *     {@link #FMM_MAX_DIMENSION} (the FMM path does not exist there; no silent treecode),
   *     d = 0 or d &gt; {@link #MAX_DIMENSION} (the message names the
   *     methods to use instead), a non-finite coordinate (the message names the row), an ARD
   *     kernel of another dimension, or no points
   */
  public static FastKernelTransform factor(KernelFunction kernel, Matrix points, FktOptions options, Compute compute) {
    return factor(kernel, points, options, compute, false);
  }

  /**
   * As {@link #factor(KernelFunction, Matrix, FktOptions, Compute)}; with {@code expandEveryFarList}
   * every far list goes through its node's expansion even where direct evaluation would be
   * cheaper, so tests can measure the expansion's accuracy on problems small enough to check.
   */
  static FastKernelTransform factor(KernelFunction kernel, Matrix points, FktOptions options, Compute compute,
      boolean expandEveryFarList) {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(points, "points");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(compute, "compute");
    long start = System.nanoTime();
    int d = points.cols();
    int n = points.rows();
    if (d == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FastKernelTransform: the points have dimension d = 0.", "Pass points with at least one coordinate (d >= 1).");
    }
    if (d > MAX_DIMENSION) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FastKernelTransform: dimension d = " + d + " is too large for the FKT (at most " + MAX_DIMENSION
              + "; its expansion has C(p+d, d) = " + ZonalHarmonics.binomial(options.order() + d, d)
              + " terms per node at order p = " + options.order() + ").",
          "Use the lazy exact product (KernelOperator, --method lazy) or a low-rank approximation "
              + "(--method lowrank, e.g. Nystrom) in high dimension.");
    }
    if (n == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "FastKernelTransform: no points.", "Pass at least one point.");
    }
    Matrix scaled = kernel.scale(points.toDType(DType.F64));
    double[] xs = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        double v = scaled.get(i, t);
        if (!Double.isFinite(v)) {
          throw new InvalidArgumentException(ErrorCode.INVALID_INPUT,
              "FastKernelTransform: points row " + i + " coordinate " + t + " is " + points.get(i, t) + ".",
              "Drop or impute non-finite coordinates before building the kernel.");
        }
        xs[i * d + t] = v;
      }
    }
    ForkJoinPool pool = new ForkJoinPool(options.threads());
    int q = options.interpolationOrderFor(d);
    if (q > 0 && d > FMM_MAX_DIMENSION) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FastKernelTransform: interpolation order q = " + q + " asks for the FMM path, which exists for d <= " + FMM_MAX_DIMENSION
              + " only; the points have d = " + d + ".",
          "Pass q = 0 for the treecode (e.g. order 8, separation 0.4 for about 1e-4; CLI: drop --fkt-grid) or leave q at -1 "
              + "(FktOptions.defaults()) to choose the path by dimension.");
    }
    if (q > 0 && !expandEveryFarList) {
      ChebyshevFmm fmm = new ChebyshevFmm(xs, n, d, kernel.radial(), options.order(), q,
          options.tolerance(), options.leafSizeFor(true), options.seed(), compute, pool, options.threads());
      double seconds = (System.nanoTime() - start) * 1e-9;
      return new FastKernelTransform(kernel, options, compute, n, d, xs, null, null, null, null, 0, seconds, pool, fmm);
    }
    FktTree tree = new FktTree(xs, n, d, options.leafSizeFor(false), options.separation(), pool);
    FarFieldExpansion expansion = new FarFieldExpansion(kernel.radial(), d, options.order(), options.seed());
    int[] perm = tree.permutation();
    double[] sorted = new double[n * d];
    for (int j = 0; j < n; j++) {
      System.arraycopy(xs, perm[j] * d, sorted, j * d, d);
    }
    List<FktTree.Node> nodes = tree.nodes();
    boolean[] compressed = new boolean[nodes.size()];
    double featureFlops = expansion.featureFlops();
    for (FktTree.Node node : nodes) {
      double src = node.size();
      double far = node.far.length;
      compressed[node.index] = far > 0 && (expandEveryFarList || featureFlops * (src + far) < DIRECT_ENTRY_FLOPS * src * far);
    }
    double seconds = (System.nanoTime() - start) * 1e-9;
    return new FastKernelTransform(kernel, options, compute, n, d, xs, sorted, tree, expansion, compressed, 0, seconds, pool, null);
  }

  /**
   * This operator plus σ²·I (the GP's noise or a nugget), sharing the factorisation: K̃ + σ²I.
   *
   * @throws InvalidArgumentException if σ² is negative or not finite
   */
  public FastKernelTransform withNoise(double variance) {
    if (!(variance >= 0) || Double.isInfinite(variance)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "FastKernelTransform.withNoise: noise variance is " + variance + ".", "Pass a finite noise variance >= 0.");
    }
    return new FastKernelTransform(kernel, options, compute, n, d, points, sortedPoints, tree, expansion, compressed,
        variance, factorSeconds, pool, fmm);
  }

  /** The kernel. */
  public KernelFunction kernel() {
    return kernel;
  }

  /** The options it was factorised with. */
  public FktOptions options() {
    return options;
  }

  /** Wall-clock seconds the factorisation took. */
  public double factorSeconds() {
    return factorSeconds;
  }

  /**
   * The FMM path's wall seconds per phase of the latest product, "S2M 1.23 M2L …" (diagnostics
   * for benchmarks); empty on the treecode path or before the first product.
   */
  String phaseTimes() {
    if (fmm == null) {
      return "";
    }
    double[] seconds = fmm.lastPhaseSeconds();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < seconds.length; i++) {
      s.append(i == 0 ? "" : " ").append(ChebyshevFmm.PHASES[i]).append(' ')
          .append(String.format(java.util.Locale.ROOT, "%.2f", seconds[i]));
    }
    return s.toString();
  }

  /** The number of expansion terms per node, C(p+d, d). */
  public int expansionTerms() {
    return fmm != null ? fmm.expansionTerms() : expansion.size();
  }

  /**
   * The FMM path's orders per octree level, "p/q" from the root down (e.g. "8/6 8/6 6/5 4/4");
   * empty on the treecode path.
   */
  public String levelOrders() {
    if (fmm == null) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    for (int l = 0; l <= fmm.tree().depth; l++) {
      s.append(l == 0 ? "" : " ").append(fmm.expansionOrder(l)).append('/').append(fmm.interpolationOrder(l));
    }
    return s.toString();
  }

  /** The number of tree nodes. */
  public int nodeCount() {
    return fmm != null ? fmm.tree().boxCount : tree.nodes().size();
  }

  /** The depth of the tree (root = 0). */
  public int depth() {
    return fmm != null ? fmm.tree().depth : tree.depth();
  }

  /**
   * Treecode path: (target point, node) pairs evaluated through the expansion in each product.
   * FMM path: (target box, source box) M2L translations in each product.
   */
  public long expandedPairs() {
    if (fmm != null) {
      return fmm.m2lPairs();
    }
    long s = 0;
    for (FktTree.Node node : tree.nodes()) {
      if (compressed[node.index]) {
        s += node.far.length;
      }
    }
    return s;
  }

  /** Kernel entries evaluated directly in each product (near blocks and uncompressed far lists). */
  public long directEntries() {
    if (fmm != null) {
      return fmm.directEntries();
    }
    long s = 0;
    for (FktTree.Node node : tree.nodes()) {
      if (!compressed[node.index]) {
        s += (long) node.far.length * node.size();
      }
      if (node.isLeaf()) {
        s += (long) node.near.length * node.size();
      }
    }
    return s;
  }

  @Override
  public int rows() {
    return n;
  }

  @Override
  public int cols() {
    return n;
  }

  @Override
  public DType dtype() {
    return DType.F64;
  }

  /** K̃·V for V of shape N×c (F64); a new N×c matrix. Not modified: V. */
  @Override
  public Matrix apply(Matrix v) {
    requireInput(v, "apply");
    int c = v.cols();
    Matrix out = Matrix.zeros(DType.F64, n, c);
    if (c == 0) {
      return out;
    }
    int[] perm = fmm != null ? fmm.permutation() : tree.permutation();
    double[] sortedV = new double[n * c];
    for (int j = 0; j < n; j++) {
      for (int col = 0; col < c; col++) {
        sortedV[j * c + col] = v.get(perm[j], col);
      }
    }
    double[] o = out.f64();
    if (fmm != null) {
      double[] y = fmm.apply(sortedV, c);  // in tree order
      for (int j = 0; j < n; j++) {
        int i = perm[j];
        for (int col = 0; col < c; col++) {
          o[out.index(i, col)] = y[j * c + col] + noise * sortedV[j * c + col];
        }
      }
      return out;
    }
    double[][] weights = moments(sortedV, c);
    double[] y = farAndNear(sortedV, weights, c);
    for (int i = 0; i < n; i++) {
      for (int col = 0; col < c; col++) {
        o[out.index(i, col)] = y[i * c + col] + noise * v.get(i, col);
      }
    }
    return out;
  }

  /** K̃·Y, since K is symmetric (see the class notes on symmetry). */
  @Override
  public Matrix applyTranspose(Matrix y) {
    requireInput(y, "applyTranspose");
    return apply(y);
  }

  @Override
  public LinearOperator transpose() {
    return this;
  }

  @Override
  public Set<Structure> structure() {
    return kernel.radial().positiveDefinite() ? EnumSet.of(Structure.SYMMETRIC, Structure.PSD) : EnumSet.of(Structure.SYMMETRIC);
  }

  /** Step 1: weights G⁻¹·Σ_j s(x′_j)·v_jᵀ of every compressed node, in parallel over chunks of sources. */
  private double[][] moments(double[] sortedV, int c) {
    List<FktTree.Node> nodes = tree.nodes();
    int m = expansion.size();
    double[][] weights = new double[nodes.size()][];
    List<int[]> chunks = new ArrayList<>();
    for (FktTree.Node node : nodes) {
      if (compressed[node.index]) {
        weights[node.index] = new double[m * c];
        for (int b = node.begin; b < node.end; b += CHUNK) {
          chunks.add(new int[] {node.index, b, Math.min(node.end, b + CHUNK)});
        }
      }
    }
    runWorkers(chunks.size(), () -> {
      FarFieldExpansion.Workspace w = expansion.workspace();
      double[] local = new double[m * c];
      return task -> {
        int[] chunk = chunks.get(task);
        FktTree.Node node = nodes.get(chunk[0]);
        java.util.Arrays.fill(local, 0);
        for (int j = chunk[1]; j < chunk[2]; j++) {
          expansion.sourceFeatures(sortedPoints, j * d, node.center, 0, w);
          for (int f = 0; f < m; f++) {
            double s = w.features[f];
            for (int col = 0; col < c; col++) {
              local[f * c + col] += s * sortedV[j * c + col];
            }
          }
        }
        double[] target = weights[node.index];
        synchronized (target) {
          for (int f = 0; f < local.length; f++) {
            target[f] += local[f];
          }
        }
      };
    });
    double[] tmp = new double[m * c];
    for (double[] wts : weights) {
      if (wts != null) {
        expansion.toWeights(wts, c, tmp);
      }
    }
    return weights;
  }

  /** Steps 2 and 3: expansions for compressed far lists, direct blocks for the rest. */
  private double[] farAndNear(double[] sortedV, double[][] weights, int c) {
    List<FktTree.Node> nodes = tree.nodes();
    List<long[]> tasks = new ArrayList<>();  // {kind, node, from, to, cost}
    for (FktTree.Node node : nodes) {
      int far = node.far.length;
      for (int b = 0; b < far; b += CHUNK) {
        int to = Math.min(far, b + CHUNK);
        long cost = compressed[node.index] ? (long) (to - b) * expansion.size() : (long) (to - b) * node.size();
        tasks.add(new long[] {compressed[node.index] ? 0 : 1, node.index, b, to, cost});
      }
      if (node.isLeaf()) {
        for (int b = 0; b < node.near.length; b += CHUNK) {
          int to = Math.min(node.near.length, b + CHUNK);
          tasks.add(new long[] {2, node.index, b, to, (long) (to - b) * node.size()});
        }
      }
    }
    tasks.sort(Comparator.comparingLong((long[] t) -> t[4]).reversed());
    int m = expansion.size();
    List<double[]> buffers = new ArrayList<>();
    runWorkers(tasks.size(), () -> {
      FarFieldExpansion.Workspace w = expansion.workspace();
      double[] y = new double[n * c];
      synchronized (buffers) {
        buffers.add(y);
      }
      return task -> {
        long[] t = tasks.get(task);
        FktTree.Node node = nodes.get((int) t[1]);
        int from = (int) t[2];
        int to = (int) t[3];
        if (t[0] == 0) {
          double[] wts = weights[node.index];
          int[] far = node.far;
          for (int q = from; q < to; q++) {
            int target = far[q];
            expansion.targetFeatures(points, target * d, node.center, 0, w);
            for (int col = 0; col < c; col++) {
              double s = 0;
              for (int f = 0; f < m; f++) {
                s += w.features[f] * wts[f * c + col];
              }
              y[target * c + col] += s;
            }
          }
        } else {
          direct(t[0] == 1 ? node.far : node.near, from, to, node, sortedV, c, y);
        }
      };
    });
    double[] y = buffers.get(0);
    for (int b = 1; b < buffers.size(); b++) {
      double[] other = buffers.get(b);
      for (int i = 0; i < y.length; i++) {
        y[i] += other[i];
      }
    }
    return y;
  }

  /** y[targets[from..to)] += K(targets, node sources)·v[node sources], on the backend. */
  private void direct(int[] targets, int from, int to, FktTree.Node node, double[] sortedV, int c, double[] y) {
    int count = to - from;
    double[] gathered = new double[count * d];
    for (int q = 0; q < count; q++) {
      System.arraycopy(points, targets[from + q] * d, gathered, q * d, d);
    }
    Matrix x = Matrix.wrap(gathered, count, d);
    Matrix sources = Matrix.wrap(sortedPoints, node.begin * d, node.size(), d, d);
    Matrix vs = Matrix.wrap(sortedV, node.begin * c, node.size(), c, c);
    Matrix o = Matrix.zeros(DType.F64, count, c);
    compute.kernelMultiply(kernel.radial(), x, sources, vs, 0, o);
    double[] od = o.f64();
    for (int q = 0; q < count; q++) {
      int target = targets[from + q];
      for (int col = 0; col < c; col++) {
        y[target * c + col] += od[q * c + col];
      }
    }
  }

  /** A worker's per-thread state: a task runner built once per thread. */
  private interface WorkerFactory {
    java.util.function.IntConsumer create();
  }

  /** Runs tasks 0..count−1 on the pool's threads, each thread taking the next free task. */
  private void runWorkers(int count, WorkerFactory factory) {
    if (count == 0) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(options.threads(), count);
    List<ForkJoinTask<?>> jobs = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      jobs.add(pool.submit(() -> {
        java.util.function.IntConsumer run = factory.create();
        for (int task = next.getAndIncrement(); task < count; task = next.getAndIncrement()) {
          run.accept(task);
        }
      }));
    }
    for (ForkJoinTask<?> job : jobs) {
      job.join();
    }
  }

  private void requireInput(Matrix x, String method) {
    Objects.requireNonNull(x, "x");
    if (x.rows() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          this + "." + method + ": the input has " + x.rows() + " rows but " + n + " are needed.",
          "Pass a block of vectors as the columns of a " + n + " x k matrix.");
    }
    if (x.dtype() != DType.F64) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          this + "." + method + ": the operator is F64 but the input is " + x.dtype() + ".",
          "Convert the input with Matrix.toDType(F64).");
    }
  }

  @Override
  public String toString() {
    return "FastKernelTransform(" + kernel + ", " + n + " points in d = " + d + ", p = " + options.order()
        + ", theta = " + options.separation() + (noise > 0 ? ", noise = " + noise : "") + ")";
  }
}
