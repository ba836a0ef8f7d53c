package structura.algorithms.kernel.fkt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.RadialKernel;
import structura.api.backend.Transpose;

/**
 * The FMM path of {@link FastKernelTransform} (d ≤ 3): the FKT's outgoing harmonic expansions on
 * the source side, Chebyshev local expansions on the target side, over the octree of
 * {@link FmmOctree}. One product y = K̃·v (points in the tree's order) is
 * <ol>
 *   <li>S2M: for every box that is the source of an M2L pair, the weights w_S = G⁻¹·Σ_j s(x′_j)·v_jᵀ
 *       of its {@link FarFieldExpansion} about the box center (M = C(p+d, d) rows), computed
 *       directly from its points at every level (N·levels feature evaluations);</li>
 *   <li>M2L: for every pair (T, S) of the interaction lists, the values of S's expansion at the
 *       q^d Chebyshev nodes of T are added to T's local grid. The q^d × M matrix E of target
 *       features depends only on the pair's key (two levels and an integer offset), so it is
 *       built once at factorisation and applied to chunks of a key's pairs as GEMMs on the
 *       backend, pair-major ([w_S₁ … w_S_k]ᵀ · Eᵀ, so that gathering a pair's weights and
 *       scattering its q^d values are contiguous copies); one key's pairs have distinct targets,
 *       so the chunks of a key run in parallel without locks;</li>
 *   <li>L2L: parent grids interpolated onto child grids, level by level ({@link ChebyshevGrid});</li>
 *   <li>L2T and near field: at each leaf, the tensor interpolant at each of its points, plus the
 *       exact K(leaf, near leaves)·v through the backend's {@code PairwiseKernelRoutine}.</li>
 * </ol>
 * The order of every sum is fixed by the tree, so the result does not depend on the thread count.
 *
 * <p>Orders: fixed (p, q) on every level, or per level (p_l, q_l) from a tolerance
 * ({@link FmmOrderRule}); a box of level l then has M_l = C(p_l+d, d) expansion terms and q_l^d
 * local values, an M2L matrix of key (l_T, l_S) is q_{l_T}^d × M_{l_S}, and L2L maps level l−1's
 * grid to level l's (q_l × q_{l−1} matrices per axis).
 *
 * <p>Error: the expansion's truncation (degree-p Taylor polynomial in the source offset at ratio
 * ≤ √d/3 of the box separation) plus the interpolation error of q points per side on the target
 * box. Cost per product with c columns: N·levels·(feature cost + M·c) for S2M, #M2L pairs·2·q^d·M·c
 * flops in GEMMs, #boxes·d·q^(d+1)·c for L2L, N·(d·q + q^d·(c+1)) for L2T and #near entries·(3d+2c+c_κ).
 * Memory: #keys·q^d·M doubles of M2L matrices plus #boxes·(M + q^d)·c per product.
 */
final class ChebyshevFmm {
  /** Pairs per GEMM: keeps the gathered weights and the result in the caches. */
  private static final int GEMM_CHUNK = 256;

  private final FmmOctree tree;
  /** Per level: the outgoing expansion of its boxes (order p_l). */
  private final FarFieldExpansion[] expansionOfLevel;
  /** Per level: the local grid of its boxes (q_l points per side). */
  private final ChebyshevGrid[] gridOfLevel;
  /** Per level l ≥ 1 and child half h: the L2L matrix from level l−1's grid to level l's. */
  private final double[][][] childFromParent;
  private final RadialKernel kernel;
  private final Compute compute;
  private final ForkJoinPool pool;
  private final int threads;
  private final int d;
  /** Points in tree order (N·d). */
  private final double[] sorted;
  /** Per key: its q^d × M matrix E, row-major. */
  private final double[][] m2lMatrices;
  private final boolean[] isSource;
  private final boolean[] hasLocal;
  /** The phases of a product, in order, as {@link #lastPhaseSeconds} reports them. */
  static final String[] PHASES = {"S2M", "M2L", "L2L", "L2T", "near"};
  /**
   * The FMM tolerance from which the near field runs in F32: its entries then carry about 1e-7
   * relative error and its sums about 1e-6 (measured: FastKernelTransformFmmTest), ≤ t/10, at
   * about twice the F64 rate (8 lanes instead of 4). Fixed orders (t = 0) and t below it stay F64.
   */
  static final double F32_NEAR_FIELD_MIN_TOLERANCE = 1e-5;
  /** Whether the near field runs in F32 (tolerance ≥ {@link #F32_NEAR_FIELD_MIN_TOLERANCE}). */
  private final boolean f32NearField;
  /** Wall seconds per phase of the latest product (diagnostics for benchmarks). */
  private volatile double[] lastPhaseSeconds = new double[0];

  /**
   * Builds the tree and the M2L matrices. With {@code tolerance} = 0 every level uses p =
   * {@code order} and q = {@code q}; with a tolerance &gt; 0 the orders are chosen per level by
   * {@link FmmOrderRule}, at most {@code order} and {@code q}.
   */
  ChebyshevFmm(double[] points, int n, int d, RadialKernel kernel, int order, int q, double tolerance, int leafSize,
      long seed, Compute compute, ForkJoinPool pool, int threads) {
    this.d = d;
    this.kernel = kernel;
    this.compute = compute;
    this.pool = pool;
    this.threads = threads;
    this.tree = new FmmOctree(points, n, d, leafSize);
    this.f32NearField = tolerance >= F32_NEAR_FIELD_MIN_TOLERANCE;
    FmmOrderRule rule = tolerance > 0
        ? new FmmOrderRule(kernel, d, tree.rootSide, tree.depth, tolerance, order, q, seed) : null;
    expansionOfLevel = new FarFieldExpansion[tree.depth + 1];
    gridOfLevel = new ChebyshevGrid[tree.depth + 1];
    FarFieldExpansion[] byOrder = new FarFieldExpansion[order + 1];
    ChebyshevGrid[] byQ = new ChebyshevGrid[q + 1];
    for (int l = 0; l <= tree.depth; l++) {
      int pl = rule == null ? order : rule.expansionOrder(l);
      int ql = rule == null ? q : rule.interpolationOrder(l);
      if (byOrder[pl] == null) {
        byOrder[pl] = new FarFieldExpansion(kernel, d, pl, seed);
      }
      if (byQ[ql] == null) {
        byQ[ql] = new ChebyshevGrid(ql, d);
      }
      expansionOfLevel[l] = byOrder[pl];
      gridOfLevel[l] = byQ[ql];
    }
    childFromParent = new double[tree.depth + 1][][];
    for (int l = 1; l <= tree.depth; l++) {
      childFromParent[l] = new double[][] {gridOfLevel[l].childFromParent(gridOfLevel[l - 1], 0),
          gridOfLevel[l].childFromParent(gridOfLevel[l - 1], 1)};
    }
    sorted = new double[n * d];
    for (int j = 0; j < n; j++) {
      System.arraycopy(points, tree.permutation[j] * d, sorted, j * d, d);
    }
    isSource = new boolean[tree.boxCount];
    hasLocal = new boolean[tree.boxCount];
    for (int j = 0; j < tree.m2lTarget.length; j++) {
      isSource[tree.m2lSource[j]] = true;
      hasLocal[tree.m2lTarget[j]] = true;
    }
    for (int b = 0; b < tree.boxCount; b++) {  // parents come before children (breadth first)
      if (tree.parent[b] >= 0 && hasLocal[tree.parent[b]]) {
        hasLocal[b] = true;
      }
    }
    m2lMatrices = new double[tree.keys.length][];
    runWorkers(tree.keys.length, () -> {
      double[] node = new double[d];
      double[] origin = new double[d];
      return k -> {
        int j = tree.keyStart[k];
        int target = tree.m2lTarget[j];
        int source = tree.m2lSource[j];
        double half = tree.side(tree.level[target]) / 2;
        FarFieldExpansion expansion = expansionOfLevel[tree.level[source]];
        ChebyshevGrid grid = gridOfLevel[tree.level[target]];
        FarFieldExpansion.Workspace w = expansion.workspace();
        int m = expansion.size();
        double[] e = new double[grid.size() * m];
        for (int g = 0; g < grid.size(); g++) {
          for (int t = 0; t < d; t++) {
            node[t] = tree.center(target, t) - tree.center(source, t) + half * grid.node(grid.index(g, t));
          }
          expansion.targetFeatures(node, 0, origin, 0, w);
          System.arraycopy(w.features, 0, e, g * m, m);
        }
        m2lMatrices[k] = e;
      };
    });
  }

  FmmOctree tree() {
    return tree;
  }

  /** The largest number of expansion terms M = C(p_l + d, d) over the levels. */
  int expansionTerms() {
    int m = 0;
    for (FarFieldExpansion e : expansionOfLevel) {
      m = Math.max(m, e.size());
    }
    return m;
  }

  /** The expansion order p_l of level l's boxes. */
  int expansionOrder(int level) {
    return expansionOfLevel[level].order();
  }

  /** The Chebyshev order q_l of level l's local grids. */
  int interpolationOrder(int level) {
    return gridOfLevel[level].order();
  }

  /** M2L (box, box) pairs per product. */
  long m2lPairs() {
    return tree.m2lTarget.length;
  }

  /** Kernel entries evaluated directly per product. */
  long directEntries() {
    long s = 0;
    for (int b = 0; b < tree.boxCount; b++) {
      for (int j = tree.nearStart[b]; j < tree.nearStart[b + 1]; j++) {
        s += (long) tree.size(b) * tree.size(tree.nearSource[j]);
      }
    }
    return s;
  }

  /** Doubles held by the M2L matrices. */
  long matrixDoubles() {
    long s = 0;
    for (int k = 0; k < tree.keys.length; k++) {
      s += m2lMatrices[k].length;
    }
    return s;
  }

  /** The tree's permutation: sorted position j holds original point permutation[j]. */
  int[] permutation() {
    return tree.permutation;
  }

  /**
   * y = K̃·v in tree order, v N×c row-major in tree order; a new array. The phases run one after
   * the other: S2M, M2L, L2L, L2T, near field (each adds into its own outputs in a fixed order).
   */
  double[] apply(double[] v, int c) {
    double[][] weights = new double[tree.boxCount][];
    double[][] locals = new double[tree.boxCount][];
    for (int b = 0; b < tree.boxCount; b++) {
      if (isSource[b]) {
        weights[b] = new double[expansionOfLevel[tree.level[b]].size() * c];
      }
      if (hasLocal[b]) {
        locals[b] = new double[gridOfLevel[tree.level[b]].size() * c];
      }
    }
    double[] y = new double[tree.n * c];
    long[] t = new long[PHASES.length + 1];
    t[0] = System.nanoTime();
    sourceToMultipole(v, c, weights);
    t[1] = System.nanoTime();
    multipoleToLocal(weights, c, locals);
    t[2] = System.nanoTime();
    localToLocal(locals, c);
    t[3] = System.nanoTime();
    localToTargets(locals, c, y);
    t[4] = System.nanoTime();
    nearField(v, c, y);
    t[5] = System.nanoTime();
    double[] seconds = new double[PHASES.length];
    for (int i = 0; i < PHASES.length; i++) {
      seconds[i] = (t[i + 1] - t[i]) * 1e-9;
    }
    lastPhaseSeconds = seconds;
    return y;
  }

  /** Wall seconds of each phase ({@link #PHASES}) in the latest product; empty before the first. */
  double[] lastPhaseSeconds() {
    return lastPhaseSeconds.clone();
  }

  /** S2M: the outgoing weights of every source box from its points, into {@code weights[b]} (zeroed, M_l × c). */
  private void sourceToMultipole(double[] v, int c, double[][] weights) {
    int[] sources = boxesWhere(isSource);
    runWorkers(sources.length, () -> {
      FarFieldExpansion.Workspace[] workspaces = new FarFieldExpansion.Workspace[tree.depth + 1];
      double[] center = new double[d];
      double[] tmp = new double[expansionTerms() * c];
      return task -> {
        int b = sources[task];
        FarFieldExpansion expansion = expansionOfLevel[tree.level[b]];
        if (workspaces[tree.level[b]] == null) {
          workspaces[tree.level[b]] = expansion.workspace();
        }
        FarFieldExpansion.Workspace w = workspaces[tree.level[b]];
        int m = expansion.size();
        double[] acc = weights[b];
        for (int t = 0; t < d; t++) {
          center[t] = tree.center(b, t);
        }
        for (int j = tree.begin[b]; j < tree.end[b]; j++) {
          expansion.sourceFeatures(sorted, j * d, center, 0, w);
          double[] features = w.features;
          if (c == 1) {  // an axpy over the M terms, which the JIT vectorizes; the general loop it does not
            double vj = v[j];
            for (int f = 0; f < m; f++) {
              acc[f] += features[f] * vj;
            }
            continue;
          }
          for (int f = 0; f < m; f++) {
            double s = features[f];
            for (int col = 0; col < c; col++) {
              acc[f * c + col] += s * v[j * c + col];
            }
          }
        }
        expansion.toWeights(acc, c, tmp);
      };
    });
  }

  /**
   * M2L: every pair's source expansion at its target's grid nodes, added into {@code locals}, key
   * by key; within a key, chunks of pairs in parallel (one key's pairs have distinct targets).
   */
  private void multipoleToLocal(double[][] weights, int c, double[][] locals) {
    for (int k = 0; k < tree.keys.length; k++) {
      int from = tree.keyStart[k];
      int to = tree.keyStart[k + 1];
      int m = expansionOfLevel[tree.level[tree.m2lSource[from]]].size();
      int qd = gridOfLevel[tree.level[tree.m2lTarget[from]]].size();
      Matrix e = Matrix.wrap(m2lMatrices[k], qd, m);
      int chunks = (to - from + GEMM_CHUNK - 1) / GEMM_CHUNK;
      runWorkers(chunks, () -> {
        double[] gathered = new double[m * GEMM_CHUNK * c];
        double[] result = new double[qd * GEMM_CHUNK * c];
        return chunk -> {
          int a = from + chunk * GEMM_CHUNK;
          int z = Math.min(to, a + GEMM_CHUNK);
          gatherWeights(weights, a, z, m, c, gathered);
          Matrix wm = Matrix.wrap(gathered, 0, (z - a) * c, m, m);
          Matrix ym = Matrix.wrap(result, 0, (z - a) * c, qd, qd);
          compute.gemm(Transpose.N, Transpose.T, 1.0, wm, e, 0.0, ym);
          scatterLocals(result, a, z, qd, c, locals);
        };
      });
    }
  }

  /**
   * Pair-major gather of pairs a..z−1: row (pair, col) holds that pair's source weights, so that
   * for one column the gather here and the scatter in {@link #scatterLocals} are contiguous copies.
   */
  private void gatherWeights(double[][] weights, int a, int z, int m, int c, double[] gathered) {
    for (int j = a; j < z; j++) {
      double[] w = weights[tree.m2lSource[j]];
      int row0 = (j - a) * c;
      if (c == 1) {
        System.arraycopy(w, 0, gathered, row0 * m, m);
      } else {
        for (int col = 0; col < c; col++) {
          for (int f = 0; f < m; f++) {
            gathered[(row0 + col) * m + f] = w[f * c + col];
          }
        }
      }
    }
  }

  /** Adds the GEMM rows of pairs a..z−1 (pair-major, q^d values each) into their targets' locals. */
  private void scatterLocals(double[] result, int a, int z, int qd, int c, double[][] locals) {
    for (int j = a; j < z; j++) {
      double[] local = locals[tree.m2lTarget[j]];
      int row0 = (j - a) * c;
      if (c == 1) {
        int r = row0 * qd;
        for (int g = 0; g < qd; g++) {
          local[g] += result[r + g];
        }
      } else {
        for (int col = 0; col < c; col++) {
          int r = (row0 + col) * qd;
          for (int g = 0; g < qd; g++) {
            local[g * c + col] += result[r + g];
          }
        }
      }
    }
  }

  /** L2L: each parent's local grid interpolated onto its children's, level by level (top down). */
  private void localToLocal(double[][] locals, int c) {
    for (int l = 1; l <= tree.depth; l++) {
      int[] boxes = tree.byLevel[l];
      ChebyshevGrid childGrid = gridOfLevel[l];
      ChebyshevGrid parentGrid = gridOfLevel[l - 1];
      double[][] matrices = childFromParent[l];
      int scratch = Math.max(childGrid.size(), parentGrid.size()) * c;
      runWorkers(boxes.length, () -> {
        double[] a = new double[scratch];
        double[] bb = new double[scratch];
        double[][] perAxis = new double[d][];
        return task -> {
          int b = boxes[task];
          int p = tree.parent[b];
          if (locals[p] == null) {
            return;
          }
          for (int t = 0; t < d; t++) {
            perAxis[t] = matrices[tree.coords[b * d + t] & 1];
          }
          childGrid.addParentToChild(parentGrid, locals[p], perAxis, c, locals[b], a, bb);
        };
      });
    }
  }

  /** L2T: at each leaf with a local grid, its interpolant at each of its points, added into y. */
  private void localToTargets(double[][] locals, int c, double[] y) {
    int largestGrid = 0;
    int largestOrder = 0;
    for (ChebyshevGrid g : gridOfLevel) {
      largestGrid = Math.max(largestGrid, g.size());
      largestOrder = Math.max(largestOrder, g.order());
    }
    int tensorSize = largestGrid;
    int basisSize = d * largestOrder;
    int[] leaves = boxesWhere(tree.leaf);
    runWorkers(leaves.length, () -> {
      double[] u = new double[d];
      double[] basis = new double[basisSize];
      double[] tensor = new double[tensorSize];
      return task -> {
        int b = leaves[task];
        double[] local = locals[b];
        if (local == null) {
          return;
        }
        double half = tree.side(tree.level[b]) / 2;
        for (int i = tree.begin[b]; i < tree.end[b]; i++) {
          for (int t = 0; t < d; t++) {
            u[t] = Math.max(-1, Math.min(1, (sorted[i * d + t] - tree.center(b, t)) / half));
          }
          gridOfLevel[tree.level[b]].addInterpolant(u, local, 0, c, y, i * c, basis, tensor);
        }
      };
    });
  }

  /**
   * Near field: at each leaf, K(leaf, near leaves)·v through the backend's
   * {@code PairwiseKernelRoutine}, added into y; in F32 when {@link #f32NearField} (coordinates
   * relative to the leaf's center, so that F32 keeps their differences to about 1e-7 relative).
   */
  private void nearField(double[] v, int c, double[] y) {
    int[] leaves = boxesWhere(tree.leaf);
    runWorkers(leaves.length, () -> new IntConsumer() {
      double[] xs = new double[0];
      double[] vs = new double[0];
      float[] xs32 = new float[0];
      float[] vs32 = new float[0];
      float[] targets32 = new float[0];
      float[] out32 = new float[0];
      final double[] center = new double[d];

      @Override
      public void accept(int task) {
        int b = leaves[task];
        int count = 0;
        for (int j = tree.nearStart[b]; j < tree.nearStart[b + 1]; j++) {
          count += tree.size(tree.nearSource[j]);
        }
        int rows = tree.size(b);
        if (f32NearField) {
          accept32(b, count, rows);
          return;
        }
        if (xs.length < count * d) {
          xs = new double[count * d];
          vs = new double[count * c];
        }
        int filled = 0;
        for (int j = tree.nearStart[b]; j < tree.nearStart[b + 1]; j++) {
          int s = tree.nearSource[j];
          int len = tree.size(s);
          System.arraycopy(sorted, tree.begin[s] * d, xs, filled * d, len * d);
          System.arraycopy(v, tree.begin[s] * c, vs, filled * c, len * c);
          filled += len;
        }
        Matrix x = Matrix.wrap(sorted, tree.begin[b] * d, rows, d, d);
        Matrix src = Matrix.wrap(xs, 0, count, d, d);
        Matrix vm = Matrix.wrap(vs, 0, count, c, c);
        Matrix o = Matrix.wrap(y, tree.begin[b] * c, rows, c, c);
        compute.kernelMultiply(kernel, x, src, vm, 1.0, o);
      }

      private void accept32(int b, int count, int rows) {
        if (xs32.length < count * d) {
          xs32 = new float[count * d];
          vs32 = new float[count * c];
        }
        if (targets32.length < rows * Math.max(d, c)) {
          targets32 = new float[rows * Math.max(d, c)];
          out32 = new float[rows * c];
        }
        for (int t = 0; t < d; t++) {
          center[t] = tree.center(b, t);
        }
        int filled = 0;
        for (int j = tree.nearStart[b]; j < tree.nearStart[b + 1]; j++) {
          int s = tree.nearSource[j];
          for (int i = tree.begin[s]; i < tree.end[s]; i++, filled++) {
            for (int t = 0; t < d; t++) {
              xs32[filled * d + t] = (float) (sorted[i * d + t] - center[t]);
            }
            for (int col = 0; col < c; col++) {
              vs32[filled * c + col] = (float) v[i * c + col];
            }
          }
        }
        for (int i = 0; i < rows; i++) {
          for (int t = 0; t < d; t++) {
            targets32[i * d + t] = (float) (sorted[(tree.begin[b] + i) * d + t] - center[t]);
          }
        }
        Matrix o = Matrix.wrap(out32, 0, rows, c, c);
        compute.kernelMultiply(kernel, Matrix.wrap(targets32, 0, rows, d, d), Matrix.wrap(xs32, 0, count, d, d),
            Matrix.wrap(vs32, 0, count, c, c), 0.0, o);
        int y0 = tree.begin[b] * c;
        for (int k = 0; k < rows * c; k++) {
          y[y0 + k] += out32[k];
        }
      }
    });
  }

  /** The boxes b with {@code flag[b]}, in box order. */
  private int[] boxesWhere(boolean[] flag) {
    int count = 0;
    for (int b = 0; b < tree.boxCount; b++) {
      if (flag[b]) {
        count++;
      }
    }
    int[] boxes = new int[count];
    int i = 0;
    for (int b = 0; b < tree.boxCount; b++) {
      if (flag[b]) {
        boxes[i++] = b;
      }
    }
    return boxes;
  }

  /** A worker's per-thread state: a task runner built once per thread. */
  private interface WorkerFactory {
    IntConsumer create();
  }

  /** Runs tasks 0..count−1 on the pool's threads, each thread taking the next free task. */
  private void runWorkers(int count, WorkerFactory factory) {
    if (count == 0) {
      return;
    }
    if (count == 1 || threads == 1) {
      IntConsumer run = factory.create();
      for (int task = 0; task < count; task++) {
        run.accept(task);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(threads, count);
    List<ForkJoinTask<?>> jobs = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      jobs.add(pool.submit(() -> {
        IntConsumer run = factory.create();
        for (int task = next.getAndIncrement(); task < count; task = next.getAndIncrement()) {
          run.accept(task);
        }
      }));
    }
    for (ForkJoinTask<?> job : jobs) {
      job.join();
    }
  }
}
