package structura.algorithms.compress;

import java.util.List;
import java.util.Locale;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Pruning followed by whitened low rank of what remains ({@code stat -o low-rank=true}): STAT
 * prunes heads and neurons to a milder cost target P ≥ T, and the budget T is reached by
 * replacing the two corrected projections that write into the residual stream, the attention
 * output {@code W_o'} and the FFN down projection {@code W_d'}, by SVD-LLM's truncation-aware
 * whitened factors ({@link SvdStrategy#lowRank}) over the kept units' activations.
 *
 * <p><b>Why only these two layers.</b> Their errors live in the same space as the pruning errors
 * (the block output) and add to them exactly: STAT's corrected {@code W'} is the least-squares
 * fit of {@code X W ᵀ} on the kept units {@code X_J}, so its residual is orthogonal to the column
 * space of {@code X_J}, where the truncation error {@code X_J (W' − W'_k)ᵀ} lies. With
 * {@code C_J} the kept units' (centered) scatter and λ the eigenvalues of {@code W' C_J W'ᵀ}
 * (the squared singular values of {@code W'·chol(C_J)}), the block's calibration error is
 * {@code pruning error + Σ_{t ≥ k} λ_t}, on the scale of STAT's allocation. The query, key,
 * value and up projections feed a softmax or an activation, where no such sum holds.
 *
 * <p><b>The split</b> between pruning and low rank is chosen by that error: for each candidate
 * {@code P_j = T + j·(1 − T)/(2·}{@value #SPLITS}{@code )}, j = 0 .. {@value #SPLITS}, STAT's greedy
 * allocation gives widths at cost P_j, then one parameter ratio ρ for the factored layers
 * ({@code k = ⌊m·n·ρ/(m+n)⌋}, SVD-LLM's rule; a layer stays dense where the factors would not
 * be smaller) is the largest meeting T ({@link WidthSearch}); the candidate with the least
 * summed block error (each block's normalised by its input's energy, as in STAT) is kept.
 * j = 0 is STAT itself, so the search falls back to pure pruning when low rank never pays.
 *
 * <p><b>Cost.</b> Per candidate and block: the corrections of the kept units (STAT's), the
 * products {@code W' C_J W'ᵀ} ({@code d·k·(k + d)}) and two symmetric d × d eigenvalue problems.
 * Memory: each block's head and FFN scatter matrices of the allocation pass
 * ({@code 8·(f² + (H·d_v)²)} bytes per block).
 */
final class PruneThenLowRank {
  /** Candidate splits besides pure pruning: P_j up to halfway from T to the full cost. */
  static final int SPLITS = 8;

  private PruneThenLowRank() {}

  /**
   * What the allocation pass measured in one block, for the split search.
   *
   * @param heads the head selection over all key/value groups
   * @param headScatter scatter of the concatenated head outputs (centered when {@code headMean} is not null)
   * @param headMean the head outputs' mean, or null
   * @param neurons the neuron selection over all neurons
   * @param ffnScatter scatter of the FFN activations (centered when {@code ffnMean} is not null)
   * @param ffnMean the FFN activations' mean, or null
   * @param energy the block input's centered energy, STAT's normaliser
   */
  record BlockStatistics(HeadSelection heads, Matrix headScatter, double[] headMean, NeuronSelection neurons,
      Matrix ffnScatter, double[] ffnMean, double energy) {}

  /**
   * The chosen split.
   *
   * @param pruneFraction P, the cost fraction after pruning
   * @param ratio ρ of the factored layers (1: none factored)
   * @param heads kept heads per block
   * @param neurons kept neurons per block
   * @param pruningError summed normalised block errors of the pruning
   * @param rankError summed normalised block errors of the truncation
   */
  record Plan(double pruneFraction, double ratio, int[] heads, int[] neurons, double pruningError, double rankError) {
    String summary() {
      return String.format(Locale.ROOT, "pruning to %.4f of the cost, low-rank ratio %.4f; block errors pruning %.5f + "
          + "low rank %.5f = %.5f", pruneFraction, ratio, pruningError, rankError, pruningError + rankError);
    }
  }

  /** Greedy width allocation at a cost target (STAT's rule), writing the widths. */
  interface Allocator {
    void allocate(BudgetCosts costs, int[] heads, int[] neurons);
  }

  /**
   * The split of {@code budget} between pruning and low rank with the least calibration error.
   *
   * @param fixedPruneFraction P to use instead of searching (0: search)
   * @param headErr per block, normalised head-pruning error by kept key/value groups
   * @param neuronErr per block, normalised neuron-pruning error by kept neurons
   * @param log receives one line per candidate
   */
  static Plan search(Compute compute, TransformerNetwork net, Budget budget, double sequenceLength,
      BlockStatistics[] stats, double[][] headErr, double[][] neuronErr, Allocator allocator, double fixedPruneFraction,
      java.util.function.Consumer<String> log) {
    double t = budget.globalFraction();
    boolean params = budget instanceof Budget.ParameterFraction;
    BudgetCosts full = BudgetCosts.of(net, budget, sequenceLength);
    Plan best = null;
    int blocks = net.depth();
    double[] candidates;
    if (fixedPruneFraction > 0) {
      candidates = new double[] {Math.max(t, fixedPruneFraction)};
    } else {
      candidates = new double[SPLITS + 1];
      for (int j = 0; j <= SPLITS; j++) {
        candidates[j] = t + j * (1 - t) / (2.0 * SPLITS);
      }
    }
    for (double p : candidates) {
      int[] h = new int[blocks];
      int[] n = new int[blocks];
      allocator.allocate(BudgetCosts.of(net, params ? new Budget.ParameterFraction(Math.min(1, p))
          : new Budget.MacFraction(Math.min(1, p)), sequenceLength), h, n);
      double[][] spectraO = new double[blocks][];
      double[][] spectraD = new double[blocks][];
      double pruning = 0;
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = net.blocks().get(i);
        BlockStatistics st = stats[i];
        int size = StatEngine.groupSize(b.attention());
        pruning += headErr[i][h[i] / size] + neuronErr[i][n[i]];
        spectraO[i] = spectrum(compute, correctedOutput(b.attention(), st, h[i]), principal(st.headScatter(),
            headColumns(b.attention(), keptGroups(b.attention(), st.heads(), h[i]))));
        Linear down = correctedDown(b, st, n[i]);
        spectraD[i] = spectrum(compute, down.weight(), principal(st.ffnScatter(), keptNeurons(b, st, n[i])));
      }
      double target = full.target();
      java.util.function.DoubleUnaryOperator cost = r -> cost(net, full, h, n, r, params, sequenceLength);
      double ratio = 1;
      if (cost.applyAsDouble(1) > target) {
        if (cost.applyAsDouble(0) > target) {
          log.accept(String.format(Locale.ROOT, "split: pruning to %.4f cannot reach the target by low rank", p));
          continue;
        }
        ratio = WidthSearch.boundary(0, 1, cost, target);
      }
      double rankError = 0;
      for (int i = 0; i < blocks; i++) {
        Attention a = net.blocks().get(i).attention();
        int d = a.output().out();
        rankError += (tail(spectraO[i], d, h[i] * a.valueDim(), ratio) + tail(spectraD[i], d, n[i], ratio))
            / stats[i].energy();
      }
      Plan plan = new Plan(p, ratio, h, n, pruning, rankError);
      log.accept("split: " + plan.summary());
      if (best == null || plan.pruningError() + plan.rankError() < best.pruningError() + best.rankError()) {
        best = plan;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no split reaches the target, although pure pruning does");
    }
    return best;
  }

  /**
   * Cost of the network with widths (h, n) and the attention output and FFN down projections at
   * parameter ratio ρ: {@link BudgetCosts#block} less {@code m·n − k·(m+n)} per factored layer
   * (times L for MACs).
   */
  static double cost(TransformerNetwork net, BudgetCosts full, int[] h, int[] n, double ratio, boolean params,
      double sequenceLength) {
    double total = 0;
    for (int i = 0; i < net.depth(); i++) {
      Attention a = net.blocks().get(i).attention();
      int d = a.output().out();
      double saved = saved(d, h[i] * a.valueDim(), ratio) + saved(d, n[i], ratio);
      total += full.block(net, i, h[i], n[i]) - (params ? 1 : sequenceLength) * saved;
    }
    return total;
  }

  private static double saved(int m, int n, double ratio) {
    return SvdStrategy.factored(m, n, ratio) ? (double) m * n - (double) SvdStrategy.rank(m, n, ratio) * (m + n) : 0;
  }

  /** Σ_{t ≥ k} λ_t for the rank ρ gives an m × n layer (0 when it stays dense). */
  private static double tail(double[] lambda, int m, int n, double ratio) {
    if (!SvdStrategy.factored(m, n, ratio)) {
      return 0;
    }
    double s = 0;
    for (int t = SvdStrategy.rank(m, n, ratio); t < lambda.length; t++) {
      s += Math.max(0, lambda[t]);
    }
    return s;
  }

  /** Eigenvalues (decreasing) of {@code W C Wᵀ}: the squared singular values of W·chol(C). */
  static double[] spectrum(Compute compute, Matrix w, Matrix scatter) {
    Matrix w64 = w.toDType(DType.F64);
    Matrix wc = Matrix.zeros(DType.F64, w.rows(), w.cols());
    compute.gemm(Transpose.N, Transpose.N, 1.0, w64, scatter, 0.0, wc);
    Matrix g = Matrix.zeros(DType.F64, w.rows(), w.rows());
    compute.gemm(Transpose.N, Transpose.T, 1.0, wc, w64, 0.0, g);
    for (int i = 0; i < g.rows(); i++) { // symmetrise the rounding
      for (int j = 0; j < i; j++) {
        double x = (g.get(i, j) + g.get(j, i)) / 2;
        g.set(i, j, x);
        g.set(j, i, x);
      }
    }
    return SymmetricEigen.decompose(g).values();
  }

  private static Matrix correctedOutput(Attention a, BlockStatistics st, int heads) {
    return heads < a.heads() ? StatEngine.prunedAttention(a, st.heads(), heads, st.headMean()).output().weight()
        : a.output().weight();
  }

  private static Linear correctedDown(TransformerBlock b, BlockStatistics st, int neurons) {
    return neurons < b.mlp().width()
        ? StatEngine.prunedMlp(b.mlp(), st.neurons(), Math.min(neurons, st.neurons().rank()), st.ffnMean()).down()
        : b.mlp().down();
  }

  private static int[] keptNeurons(TransformerBlock b, BlockStatistics st, int neurons) {
    return neurons < b.mlp().width() ? st.neurons().kept(Math.min(neurons, st.neurons().rank()))
        : java.util.stream.IntStream.range(0, b.mlp().width()).toArray();
  }

  /** The key/value groups (ascending) that keeping {@code heads} query heads by {@code hs} keeps: all when heads is a's. */
  static int[] keptGroups(Attention a, HeadSelection hs, int heads) {
    return heads < a.heads() ? hs.kept(heads / StatEngine.groupSize(a)) : StatEngine.range(a.kvHeads());
  }

  /**
   * The columns of the concatenated head outputs that the attention keeps with the key/value
   * groups {@code keptGroups} (ascending), the input columns of its corrected output projection.
   */
  static int[] headColumns(Attention a, int[] keptGroups) {
    int[] kept = structura.algorithms.nn.Pruning.groupHeads(keptGroups, StatEngine.groupSize(a));
    int dv = a.valueDim();
    int[] cols = new int[kept.length * dv];
    for (int i = 0; i < kept.length; i++) {
      for (int t = 0; t < dv; t++) {
        cols[i * dv + t] = kept[i] * dv + t;
      }
    }
    return cols;
  }

  /** {@code C[idx, idx]} as F64. */
  static Matrix principal(Matrix c, int[] idx) {
    Matrix out = Matrix.zeros(DType.F64, idx.length, idx.length);
    for (int a = 0; a < idx.length; a++) {
      for (int b = 0; b < idx.length; b++) {
        out.set(a, b, c.get(idx[a], idx[b]));
      }
    }
    return out;
  }

  /** The entries of {@code v} at {@code idx}, or null. */
  static double[] select(double[] v, int[] idx) {
    if (v == null) {
      return null;
    }
    double[] out = new double[idx.length];
    for (int a = 0; a < idx.length; a++) {
      out[a] = v[idx[a]];
    }
    return out;
  }

  /**
   * A corrected projection replaced by its whitened rank-k factors at ratio ρ (unchanged where the
   * factors would not be smaller), its rank and relative error appended to {@code ranks}. With a
   * mean, the bias absorbs the truncation's mean: {@code b' = b + (W' − U V) μ_J}, so the fit is
   * the least-squares rank-k map with an intercept.
   *
   * @param scatter the kept units' scatter (centered when {@code mean} is not null), F64
   * @param mean the kept units' mean, or null
   */
  static Linear factor(Compute compute, Linear corrected, Matrix scatter, double[] mean, double ratio, String name,
      String what, List<CompressionReport.LayerRank> ranks) {
    int m = corrected.out();
    int n = corrected.in();
    if (!SvdStrategy.factored(m, n, ratio)) {
      ranks.add(new CompressionReport.LayerRank(name, m, n, Math.min(m, n), false, 0));
      return corrected;
    }
    SvdStrategy.Whitening w = SvdStrategy.whitening(compute, scatter, 1e-6, what);
    SvdStrategy.Factored f = SvdStrategy.lowRank(compute, corrected, w, SvdStrategy.rank(m, n, ratio));
    Linear out = f.layer();
    if (mean != null && out.bias() != null) {
      Matrix u = out.factors().u();
      Matrix v = out.factors().v();
      int k = v.rows();
      double[] vm = new double[k];
      for (int t = 0; t < k; t++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += v.get(t, j) * mean[j];
        }
        vm[t] = s;
      }
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += corrected.weight().get(i, j) * mean[j];
        }
        for (int t = 0; t < k; t++) {
          s -= u.get(i, t) * vm[t];
        }
        out.bias().set(0, i, out.bias().get(0, i) + s);
      }
    }
    ranks.add(new CompressionReport.LayerRank(name, m, n, out.rank(), true, f.error()));
    return out;
  }
}
