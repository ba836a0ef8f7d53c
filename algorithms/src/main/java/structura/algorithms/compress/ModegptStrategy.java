package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import structura.algorithms.linalg.Cholesky;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.algorithms.linalg.CholeskyOptions;
import structura.algorithms.linalg.SymmetricEigen;
import structura.algorithms.linalg.TriangularInverse;
import structura.algorithms.linalg.ProductSvd;
import structura.algorithms.linalg.SvdResult;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.RotaryEmbedding;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * MoDeGPT (Lin, Gao, Smith, Patel, Tuli, Shen, Jin and Hsu, "MoDeGPT: Modular Decomposition for
 * Large Language Model Compression", ICLR 2025): each block's three modules are compressed by the
 * matrix decomposition that fits their nonlinearity, from statistics of one pass of the original
 * model.
 * <ul>
 * <li><b>MLP (Nyström).</b> Neurons J by the largest ridge leverage scores
 * {@code [C(C+λI)⁻¹]_ii} of the FFN activation second moment C (f × f); then
 * {@code W_down' = W_down C_:J (C_JJ + εI)⁻¹}, the Nyström approximation of the MLP.</li>
 * <li><b>Query-key (CR).</b> Per head, the k query/key dimensions with the largest
 * {@code ‖C_q^{1/2} e_i‖·‖C_k^{1/2} e_i‖ = √(C_q,ii·C_k,ii)}, a column-row (CR) approximation of
 * {@code Q_h K_hᵀ}; rows of W_q,h and W_k,h are selected, no correction, the score scale kept
 * (C_q, C_k of the projections before RoPE). <em>Grouped-query attention</em>: one index set per
 * key/value group, the scores summed over the group's query heads, so the shared key head and all
 * its query heads keep the same dimensions. <em>RoPE</em> (the reference code's rule): dimensions i
 * and {@code i + d_h/2} rotate together, so pairs are kept, scored
 * {@code √(C_q,ii·C_k,ii + C_q,jj·C_k,jj)} (j = i + d_h/2), k is made even, and each group's kept
 * frequencies are stored in the {@link RotaryEmbedding} ({@code frequencies[g]}), which the forward
 * pass, the ONNX writer and safetensors carry.</li>
 * <li><b>Value-output (SVD).</b> Per head the rank-k truncated SVD of {@code S·W_v,hᵀW_o,hᵀ} with
 * {@code S = C_x^{1/2}} (the attention input's second moment), giving
 * {@code W_v,h' = ((S⁻¹U)_:,1:k)ᵀ} and {@code W_o,h' = (Σ_1:k V_1:kᵀ)ᵀ}; value biases are folded
 * into the output bias first (attention rows sum to one, so a value bias adds the constant
 * {@code W_o,h b_v,h}). <em>Grouped-query attention</em>: per key/value group g the rank-k SVD of
 * {@code S·W_v,gᵀ·[W_o,h1ᵀ … W_o,hsᵀ]} over its s query heads (the shared value head is truncated
 * once, and each head's output block is the projection onto it; the reference code instead
 * truncates {@code S·W_v,gᵀ} alone and projects each {@code W_o,h}).</li>
 * <li><b>Global allocation.</b> Block ℓ keeps the fraction {@code 1 − φ_ℓ} of each module with
 * {@code φ_ℓ = L·φ̄·softmax(−BI/ε)_ℓ} clipped at {@code max-sparsity} (excess redistributed), BI
 * the block-influence score (mean 1 − cos between the block's input and output rows); φ̄ is found
 * by bisection so that the block MACs (or parameters) meet the budget.</li>
 * </ul>
 * Defaults from the notes on the unofficial implementation (no official code exists): λ is
 * {@code nystrom-ridge}·mean(diag C) (1e-2; the reference code uses an absolute 1e-2, scaled here
 * so the choice does not depend on activation units), {@code ε = 0.15}, max sparsity 0.8, the VO
 * ridge 1e-4·mean eigenvalue. Neuron counts are rounded to {@code neuron-multiple}. Cost: one
 * forward pass with the Gram matrices, then per block an f³/3 Cholesky and inverse on the backend,
 * one d×d eigendecomposition and H small SVDs.
 */
public final class ModegptStrategy implements CompressionStrategy {
  @Override
  public String name() {
    return "modegpt";
  }

  @Override
  public String summary() {
    return "modular decomposition: Nystrom (MLP), CR (query-key), SVD (value-output), block-influence allocation";
  }

  @Override
  public Citation citation() {
    return new Citation("C.-H. Lin, S. Gao, J. S. Smith, A. Patel, S. Tuli, Y. Shen, H. Jin, Y.-C. Hsu",
        "MoDeGPT: Modular Decomposition for Large Language Model Compression", "ICLR 2025",
        "https://arxiv.org/abs/2408.09632");
  }

  @Override
  public Map<String, String> optionHelp() {
    return ModegptOptions.help();
  }

  @Override
  public void checkOptions(Map<String, String> options) {
    ModegptOptions.parse(options);
  }

  @Override
  public CompressionResult compress(CompressionRequest request) {
    return compress(request, ModegptOptions.parse(request.options()));
  }

  /** Compresses with typed options; {@link CompressionRequest#options()} is not read. */
  public CompressionResult compress(CompressionRequest request, ModegptOptions options) {
    double nystromRidge = options.nystromRidge();
    double smoothing = options.smoothing();
    double maxSparsity = options.maxSparsity();
    double voRidge = options.voRidge();
    int multiple = options.neuronMultiple();
    TransformerNetwork net = request.network();
    Pruning.requireDense(net, name());
    for (int i = 0; i < net.depth(); i++) {
      Attention a = net.blocks().get(i).attention();
      if (options.queryKey().equals("svd") && (a.kvHeads() != a.heads() || a.rotary() != null)) {
        // the SVD mixes query-key dimensions: RoPE rotates fixed pairs of them, and a key/value head serves several query heads
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "modegpt -o query-key=svd needs multi-head attention "
            + "without rotary embeddings; block " + i + " has " + a.heads() + " query heads, " + a.kvHeads()
            + " key/value heads" + (a.rotary() != null ? " and RoPE" : "") + ".",
            "Use the default -o query-key=cr, which keeps rotary pairs and key/value groups consistent.");
      }
      if (a.rotary() != null && a.rotary().frequencies() == null && a.rotary().dims() != a.headDim()) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "modegpt: block " + i + " rotates " + a.rotary().dims()
            + " of its " + a.headDim() + " query-key dimensions per head (partial RoPE), which query-key pruning does not handle.",
            "Use stat or svd for this model.");
      }
    }
    request.calibration().requireEnoughTokens(net);
    Map<String, Double> stages = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    request.progress().stage("calibration pass (" + request.calibration().texts() + " texts, original model)");
    int blocks = net.depth();
    StatisticsHook[] stats = new StatisticsHook[blocks];
    Calibrator cal = new Calibrator(request.compute(), net, request.calibration());
    // sequential: this pass only scores block influence; the statistics come from the second pass
    EnumSet<StatisticsHook.Kind> kinds = options.sequential() ? EnumSet.of(StatisticsHook.Kind.INFLUENCE) : ALL_KINDS;
    for (int i = 0; i < blocks; i++) {
      stats[i] = hook(request, net, i, kinds);
      cal.advance(net, i, stats[i]);
      request.progress().block(i, blocks, String.format(java.util.Locale.ROOT, "statistics, block influence %.4f",
          stats[i].influence()));
    }
    stages.put("calibration", Timing.seconds(t0));

    long t1 = System.nanoTime();
    double[] keep = allocate(request, stats, smoothing, maxSparsity, multiple);
    // KeepFractions: heads → query-key and value dims, neurons → FFN neurons (global budgets: one fraction)
    double[] keepNeurons = keep;
    if (request.budget() instanceof Budget.KeepFractions k) {
      keepNeurons = new double[blocks];
      Arrays.fill(keepNeurons, k.neurons());
    }
    TransformerNetwork out = net;
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    request.progress().stage(options.sequential() ? "decomposition, statistics from the compressed blocks before each"
        : "decomposition");
    Calibrator sequential = options.sequential() ? new Calibrator(request.compute(), net, request.calibration()) : null;
    TransformerForward original = new TransformerForward(request.compute(), net);
    for (int i = 0; i < blocks; i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      if (sequential != null) {
        // the original block i on the outputs of the compressed blocks 0 … i−1: what block i's replacement will see
        stats[i] = hook(request, net, i, ALL_KINDS);
        for (int j = 0; j < sequential.batches(); j++) {
          original.block(i, sequential.state(j), sequential.batch(j), stats[i]);
        }
      }
      int kqk = queryKeyDims(a, keep[i]);
      int kv = Math.max(1, (int) Math.floor(a.valueDim() * keep[i]));
      int kf = Widths.roundNeurons((int) Math.floor(b.mlp().width() * keepNeurons[i]), b.mlp().width(), multiple);
      Attention na = attention(request.compute(), a, stats[i], kqk, kv, voRidge, options.queryKey().equals("svd"));
      Mlp nm = kf < b.mlp().width() ? mlp(request.compute(), b.mlp(), stats[i], kf, nystromRidge) : b.mlp();
      out = Pruning.replace(out, i, new TransformerBlock(na, nm, b.attentionNorm(), b.mlpNorm(), b.placement()));
      if (sequential != null && i + 1 < blocks) {
        sequential.advance(out, i, null);
      }
      reports.add(new CompressionReport.BlockReport(i, a.heads(), na.heads(), a.headDim(), na.headDim(), a.valueDim(),
          na.valueDim(), b.mlp().width(), nm.width(), Double.NaN, Double.NaN));
      request.progress().block(i, blocks, String.format(java.util.Locale.ROOT,
          "keep %.3f / %.3f: query-key dim %d -> %d, value dim %d -> %d, neurons %d -> %d", keep[i], keepNeurons[i], a.headDim(), kqk,
          a.valueDim(), kv, b.mlp().width(), nm.width()));
    }
    stages.put("decomposition", Timing.seconds(t1));
    return new CompressionResult(out, CompressionReport.of(request, name(), citation(), net, out, reports, stages));
  }

  private static final EnumSet<StatisticsHook.Kind> ALL_KINDS = EnumSet.of(StatisticsHook.Kind.FFN,
      StatisticsHook.Kind.QUERY_KEY, StatisticsHook.Kind.ATTENTION_INPUT, StatisticsHook.Kind.INFLUENCE);

  private static StatisticsHook hook(CompressionRequest request, TransformerNetwork net, int i,
      EnumSet<StatisticsHook.Kind> kinds) {
    return StatisticsHook.of(request.compute(), i, kinds, net.blocks().get(i), false);
  }

  /**
   * Query-key dimensions kept per head at the fraction {@code keep}: {@code ⌊d_h·keep⌋}, at least 1;
   * with RoPE an even count of at least 2, since dimensions are kept in rotary pairs.
   */
  static int queryKeyDims(Attention a, double keep) {
    int k = (int) Math.floor(a.headDim() * keep);
    return a.rotary() == null ? Math.max(1, k) : Math.max(2, k - k % 2);
  }

  // ---- allocation ----------------------------------------------------------------------------

  private double[] allocate(CompressionRequest request, StatisticsHook[] stats, double eps, double maxSparsity,
      int multiple) {
    TransformerNetwork net = request.network();
    int n = stats.length;
    if (request.budget() instanceof Budget.KeepFractions k) {
      double[] keep = new double[n];
      Arrays.fill(keep, k.heads());
      return keep;
    }
    double[] bi = new double[n];
    for (int i = 0; i < n; i++) {
      bi[i] = stats[i].influence();
    }
    boolean params = request.budget() instanceof Budget.ParameterFraction;
    MacModel macs = new MacModel(request.calibration().meanLength());
    // MoDeGPT shrinks head dimensions, not heads: it counts its own configurations against the shared check and search
    double total = cost(net, full(n), macs, params, multiple);
    double target = request.budget().globalFraction() * total;
    BudgetCosts.requireReachable(request.budget(), name(),
        cost(net, keepOf(sparsity(bi, maxSparsity, eps, maxSparsity)), macs, params, multiple), total,
        String.format(java.util.Locale.ROOT, "every block at the maximum sparsity %.2f", maxSparsity),
        "raise -o max-sparsity");
    double hi = WidthSearch.boundary(maxSparsity, 0,
        x -> cost(net, keepOf(sparsity(bi, x, eps, maxSparsity)), macs, params, multiple), target);
    return keepOf(sparsity(bi, hi, eps, maxSparsity));
  }

  private static double[] full(int n) {
    double[] k = new double[n];
    Arrays.fill(k, 1);
    return k;
  }

  private static double[] keepOf(double[] sparsity) {
    double[] k = new double[sparsity.length];
    for (int i = 0; i < k.length; i++) {
      k[i] = 1 - sparsity[i];
    }
    return k;
  }

  /** φ = L·φ̄·softmax(−BI/ε), clipped at the maximum with the excess redistributed over unclipped blocks. */
  static double[] sparsity(double[] bi, double average, double eps, double max) {
    int n = bi.length;
    double m = Arrays.stream(bi).min().orElse(0);
    double[] w = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.exp(-(bi[i] - m) / eps);
      sum += w[i];
    }
    double[] phi = new double[n];
    for (int i = 0; i < n; i++) {
      phi[i] = n * average * w[i] / sum;
    }
    boolean[] clipped = new boolean[n];
    for (int it = 0; it < n; it++) {
      double excess = 0;
      double free = 0;
      for (int i = 0; i < n; i++) {
        if (phi[i] > max) {
          excess += phi[i] - max;
          phi[i] = max;
          clipped[i] = true;
        }
        if (!clipped[i]) {
          free += w[i];
        }
      }
      if (excess <= 0 || free <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (!clipped[i]) {
          phi[i] += excess * w[i] / free;
        }
      }
    }
    return phi;
  }

  private static double cost(TransformerNetwork net, double[] keep, MacModel macs, boolean params, int multiple) {
    double c = 0;
    for (int i = 0; i < net.depth(); i++) {
      TransformerBlock b = net.blocks().get(i);
      Attention a = b.attention();
      int kqk = queryKeyDims(a, keep[i]);
      int kv = Math.max(1, (int) Math.floor(a.valueDim() * keep[i]));
      int kf = Widths.roundNeurons((int) Math.floor(b.mlp().width() * keep[i]), b.mlp().width(), multiple);
      double d = b.width();
      double h = a.heads();
      double g = a.kvHeads();
      Mlp m = b.mlp();
      if (params) {
        // the value bias is folded into the output bias (a zero value bias stays when there was one)
        c += h * kqk * (d + bias(a.query())) + g * kqk * (d + bias(a.key())) + g * kv * (d + bias(a.value()))
            + d * h * kv + (a.output().bias() != null || a.value().bias() != null ? d : 0)
            + kf * (m.up().in() + bias(m.up())) + (m.gate() == null ? 0 : kf * (m.gate().in() + bias(m.gate())))
            + (double) m.down().out() * kf + (m.down().bias() == null ? 0 : m.down().out())
            + (b.parameterCount() - a.parameterCount() - m.parameterCount());
      } else {
        double l = macs.sequenceLength();
        c += l * d * (h * kqk + g * kqk + g * kv + h * kv) + l * l * h * (kqk + kv)
            + l * d * kf * (m.gate() == null ? 2 : 3);
      }
    }
    return c;
  }

  private static double bias(Linear l) {
    return l.bias() == null ? 0 : 1;
  }

  // ---- modules -------------------------------------------------------------------------------

  private static Attention attention(Compute compute, Attention a, StatisticsHook st, int kqk, int kv, double voRidge,
      boolean qkSvd) {
    int heads = a.heads();
    int groups = a.kvHeads();
    int size = heads / groups;
    int dv = a.valueDim();
    int d = a.width();
    Linear q;
    Linear k;
    RotaryEmbedding rope = a.rotary();
    if (qkSvd) {
      Linear[] qk = queryKeySvd(compute, a, st, kqk);
      q = qk[0];
      k = qk[1];
    } else {
      int[][] kept = queryKeySelection(a, st, kqk);
      int[] qRows = new int[heads * kqk];
      int[] kRows = new int[groups * kqk];
      for (int g = 0; g < groups; g++) {
        for (int t = 0; t < kqk; t++) {
          kRows[g * kqk + t] = g * a.headDim() + kept[g][t];
          for (int j = 0; j < size; j++) {
            int h = g * size + j;
            qRows[h * kqk + t] = h * a.headDim() + kept[g][t];
          }
        }
      }
      q = Pruning.rowsOf(a.query(), qRows);
      k = Pruning.rowsOf(a.key(), kRows);
      if (rope != null) {
        // kept rotary pairs (i, i + half) sit at (t, t + kqk/2) of the new head and keep their frequency
        int[][] f = new int[groups][kqk / 2];
        for (int g = 0; g < groups; g++) {
          for (int t = 0; t < kqk / 2; t++) {
            f[g][t] = rope.frequency(g, kept[g][t]);
          }
        }
        rope = new RotaryEmbedding(rope.dims(), rope.theta(), f);
      }
    }
    // value-output: S = C_x^{1/2} with a ridge on the eigenvalues, S⁻¹ alike
    var mom = st.attentionInput.moments();
    Matrix cx = mom.gram().copy();
    compute.scale(1.0 / mom.count(), cx);
    Matrix[] roots = roots(compute, cx, voRidge);
    Matrix sHalf = roots[0];
    Matrix sInv = roots[1];
    int dOut = a.output().out();
    Matrix vNew = Matrix.zeros(DType.F32, groups * kv, d);
    Matrix oNew = Matrix.zeros(DType.F32, dOut, heads * kv);
    double[] outBias = new double[dOut];
    for (int i = 0; i < outBias.length; i++) {
      outBias[i] = a.output().bias() == null ? 0 : a.output().bias().get(0, i);
    }
    for (int g = 0; g < groups; g++) {
      Matrix wv = a.valueHead(g).toDType(DType.F64); // dv × d
      // the group's output blocks stacked: [W_o,h1; W_o,h2; …], (size·d_out) × dv
      Matrix wo = Matrix.zeros(DType.F64, size * dOut, dv);
      for (int j = 0; j < size; j++) {
        wo.view(j * dOut, 0, dOut, dv).copyFrom(a.outputHead(g * size + j).toDType(DType.F64));
      }
      if (a.value().bias() != null) {
        // attention rows sum to one: head h adds the constant W_o,h b_v,g
        for (int j = 0; j < size; j++) {
          for (int i = 0; i < dOut; i++) {
            double sum = 0;
            for (int t = 0; t < dv; t++) {
              sum += wo.get(j * dOut + i, t) * a.value().bias().get(0, g * dv + t);
            }
            outBias[i] += sum;
          }
        }
      }
      // M = S·W_v,gᵀ·[W_o,h1ᵀ … W_o,hsᵀ] (d × size·d_out) has rank ≤ dv: with thin QRs S·W_vᵀ = Q1·R1
      // and the stacked W_o = Q2·R2, M = Q1·(R1·R2ᵀ)·Q2ᵀ, so its SVD comes from the dv × dv core;
      // the shared value head is truncated once for all query heads of its group
      Matrix swv = Matrix.zeros(DType.F64, d, dv);
      compute.gemm(Transpose.N, Transpose.T, 1.0, sHalf, wv, 0.0, swv);
      SvdResult core = new ProductSvd(kv).decompose(swv, wo);
      Matrix u = core.u(); // d × kv
      double[] sig = core.singularValues();
      Matrix vt = core.vt(); // kv × (size·d_out)
      Matrix newV = Matrix.zeros(DType.F64, d, kv); // S⁻¹ U
      compute.gemm(Transpose.N, Transpose.N, 1.0, sInv, u.toDType(DType.F64), 0.0, newV);
      for (int t = 0; t < kv; t++) {
        for (int c = 0; c < d; c++) {
          vNew.set(g * kv + t, c, newV.get(c, t));
        }
        for (int j = 0; j < size; j++) {
          int h = g * size + j;
          for (int i = 0; i < dOut; i++) {
            oNew.set(i, h * kv + t, sig[t] * vt.get(t, j * dOut + i));
          }
        }
      }
    }
    Matrix vBias = a.value().bias() == null ? null : Matrix.zeros(DType.F32, 1, groups * kv);
    Matrix oBias = a.output().bias() == null && Arrays.stream(outBias).allMatch(x -> x == 0) ? null
        : Matrix.zeros(DType.F32, 1, outBias.length);
    if (oBias != null) {
      for (int i = 0; i < outBias.length; i++) {
        oBias.set(0, i, outBias[i]);
      }
    }
    return new Attention(heads, groups, kqk, kv, q, k, new Linear(vNew, vBias), new Linear(oNew, oBias), a.scale(),
        a.causal(), rope);
  }

  /**
   * The query-key dimensions kept per key/value group (CR step), ascending within each half: the
   * score of dimension i is {@code Σ_h √(C_q,h,ii · C_k,g,ii)} over the query heads h of group g
   * ({@code ‖C^{1/2} e_i‖² = C_ii}); one index set per group, as the reference code does for GQA.
   * With RoPE, dimensions i and {@code i + half} rotate together: pair i scores
   * {@code Σ_h √(C_q,ii·C_k,ii + C_q,jj·C_k,jj)} with {@code j = i + half}, the top {@code kqk/2}
   * pairs are kept, and the set is {@code [i_1 … i_m, i_1 + half … i_m + half]}, the rotate-half
   * layout of the pruned head.
   */
  private static int[][] queryKeySelection(Attention a, StatisticsHook st, int kqk) {
    int groups = a.kvHeads();
    int size = a.heads() / groups;
    int dh = a.headDim();
    boolean rotary = a.rotary() != null;
    int half = dh / 2;
    int[][] kept = new int[groups][];
    for (int g = 0; g < groups; g++) {
      Matrix ck = st.keys[g].moments().gram();
      double[] score = new double[rotary ? half : dh];
      for (int j = 0; j < size; j++) {
        Matrix cq = st.queries[g * size + j].moments().gram();
        for (int i = 0; i < score.length; i++) {
          double p = Math.max(0, cq.get(i, i)) * Math.max(0, ck.get(i, i));
          if (rotary) {
            p += Math.max(0, cq.get(i + half, i + half)) * Math.max(0, ck.get(i + half, i + half));
          }
          score[i] += Math.sqrt(p);
        }
      }
      if (rotary) {
        int[] pairs = MagnitudeStrategy.top(score, kqk / 2);
        int[] rows = new int[kqk];
        for (int t = 0; t < pairs.length; t++) {
          rows[t] = pairs[t];
          rows[t + pairs.length] = pairs[t] + half;
        }
        kept[g] = rows;
      } else {
        kept[g] = MagnitudeStrategy.top(score, kqk);
      }
    }
    return kept;
  }

  /**
   * Query-key by whitened SVD: per head the rank-k SVD of {@code S̃·W̃_qᵀ·W̃_k·S̃}, where
   * {@code W̃ = [W | b]} appends the bias as a column and {@code S̃ = C̃^{1/2}} is the square root of
   * the second moment of the augmented attention input {@code x̃ = [x, 1]} (ridged like the VO step).
   * The scores {@code q·k = x̃ W̃_qᵀ W̃_k x̃'ᵀ} are a bilinear form in the inputs, so this is the
   * best rank-k approximation of the score map in the calibration metric; the factors are split
   * evenly, {@code W̃_q' = (S̃⁻¹UΣ^{1/2})ᵀ}, {@code W̃_k' = (S̃⁻¹VΣ^{1/2})ᵀ}. Exact for models without
   * rotary embeddings (which this option requires, with multi-head attention).
   */
  private static Linear[] queryKeySvd(Compute compute, Attention a, StatisticsHook st, int kqk) {
    int heads = a.heads();
    int dh = a.headDim();
    int d = a.width();
    var mom = st.attentionInput.moments();
    double[] mean = mom.mean();
    Matrix c = Matrix.zeros(DType.F64, d + 1, d + 1);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c.set(i, j, mom.gram().get(i, j) / mom.count());
      }
      c.set(i, d, mean[i]);
      c.set(d, i, mean[i]);
    }
    c.set(d, d, 1);
    Matrix[] roots = roots(compute, c, 1e-4);
    Matrix sHalf = roots[0];
    Matrix sInv = roots[1];
    Matrix qw = Matrix.zeros(DType.F32, heads * kqk, d);
    Matrix kw = Matrix.zeros(DType.F32, heads * kqk, d);
    Matrix qb = Matrix.zeros(DType.F32, 1, heads * kqk);
    Matrix kb = Matrix.zeros(DType.F32, 1, heads * kqk);
    for (int h = 0; h < heads; h++) {
      Matrix sq = Matrix.zeros(DType.F64, d + 1, dh);
      Matrix sk = Matrix.zeros(DType.F64, d + 1, dh);
      compute.gemm(Transpose.N, Transpose.T, 1.0, sHalf, augmented(a.query(), h, dh), 0.0, sq);
      compute.gemm(Transpose.N, Transpose.T, 1.0, sHalf, augmented(a.key(), h, dh), 0.0, sk);
      SvdResult svd = new ProductSvd(kqk).decompose(sq, sk);
      double[] sig = svd.singularValues();
      Matrix u = svd.u();
      Matrix v = svd.vt().transposeCopy();
      for (int t = 0; t < kqk; t++) {
        double r = Math.sqrt(sig[t]);
        for (int i = 0; i < d + 1; i++) {
          u.set(i, t, u.get(i, t) * r);
          v.set(i, t, v.get(i, t) * r);
        }
      }
      Matrix nq = Matrix.zeros(DType.F64, d + 1, kqk);
      Matrix nk = Matrix.zeros(DType.F64, d + 1, kqk);
      compute.gemm(Transpose.N, Transpose.N, 1.0, sInv, u, 0.0, nq);
      compute.gemm(Transpose.N, Transpose.N, 1.0, sInv, v, 0.0, nk);
      for (int t = 0; t < kqk; t++) {
        for (int j = 0; j < d; j++) {
          qw.set(h * kqk + t, j, nq.get(j, t));
          kw.set(h * kqk + t, j, nk.get(j, t));
        }
        qb.set(0, h * kqk + t, nq.get(d, t));
        kb.set(0, h * kqk + t, nk.get(d, t));
      }
    }
    return new Linear[] {new Linear(qw, qb), new Linear(kw, kb)};
  }

  /** Head h's rows of a projection with the bias appended as a last column, F64, dh × (d+1). */
  private static Matrix augmented(Linear l, int h, int dh) {
    int d = l.in();
    Matrix w = Matrix.zeros(DType.F64, dh, d + 1);
    Matrix weight = l.weight();
    for (int t = 0; t < dh; t++) {
      for (int j = 0; j < d; j++) {
        w.set(t, j, weight.get(h * dh + t, j));
      }
      w.set(t, d, l.bias() == null ? 0 : l.bias().get(0, h * dh + t));
    }
    return w;
  }

  /** {C^{1/2}, C^{-1/2}} of a symmetric PSD matrix, with {@code ridge}·(mean eigenvalue) added to the eigenvalues. */
  private static Matrix[] roots(Compute compute, Matrix c, double ridge) {
    int n = c.rows();
    SymmetricEigen eig = SymmetricEigen.decompose(c);
    double[] ev = eig.values();
    double mean = Arrays.stream(ev).map(v -> Math.max(v, 0)).average().orElse(1);
    Matrix v64 = eig.vectors().toDType(DType.F64);
    Matrix scaledHalf = v64.copy();
    Matrix scaledInv = v64.copy();
    for (int j = 0; j < n; j++) {
      double r = Math.sqrt(Math.max(ev[j], 0) + ridge * mean);
      for (int i = 0; i < n; i++) {
        scaledHalf.set(i, j, scaledHalf.get(i, j) * r);
        scaledInv.set(i, j, scaledInv.get(i, j) / r);
      }
    }
    Matrix half = Matrix.zeros(DType.F64, n, n);
    Matrix inv = Matrix.zeros(DType.F64, n, n);
    compute.gemm(Transpose.N, Transpose.T, 1.0, scaledHalf, v64, 0.0, half);
    compute.gemm(Transpose.N, Transpose.T, 1.0, scaledInv, v64, 0.0, inv);
    return new Matrix[] {half, inv};
  }

  private static Mlp mlp(Compute compute, Mlp m, StatisticsHook st, int k, double ridge) {
    int f = m.width();
    var mom = st.ffn.moments();
    Matrix c = mom.gram().copy();
    compute.scale(1.0 / mom.count(), c);
    double meanDiag = 0;
    for (int i = 0; i < f; i++) {
      meanDiag += c.get(i, i);
    }
    meanDiag /= f;
    double lambda = ridge * meanDiag;
    Matrix reg = c.copy();
    for (int i = 0; i < f; i++) {
      reg.set(i, i, reg.get(i, i) + lambda);
    }
    // ridge leverage score s_i = [C(C+λI)⁻¹]_ii = 1 − λ[(C+λI)⁻¹]_ii: keep the k smallest diag of the inverse
    Matrix lInv = new TriangularInverse(compute).lower(new Cholesky(compute, CholeskyOptions.defaults()).factor(reg));
    double[] score = new double[f];
    for (int j = 0; j < f; j++) {
      double s = 0;
      for (int i = j; i < f; i++) {
        double v = lInv.get(i, j);
        s += v * v;
      }
      score[j] = 1 - lambda * s;
    }
    int[] kept = MagnitudeStrategy.top(score, k);
    // W_d' = W_d C_:J (C_JJ + 1e-6·mean diag·I)⁻¹: solve (C_JJ + εI) X = C_J: W_dᵀ
    Matrix cjj = Matrix.zeros(DType.F64, k, k);
    Matrix cj = Matrix.zeros(DType.F64, k, f);
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        cjj.set(a, b, c.get(kept[a], kept[b]));
      }
      cjj.set(a, a, cjj.get(a, a) + 1e-6 * meanDiag);
      cj.view(a, 0, 1, f).copyFrom(c.view(kept[a], 0, 1, f));
    }
    Matrix rhs = Matrix.zeros(DType.F64, k, m.down().out());
    compute.gemm(Transpose.N, Transpose.T, 1.0, cj, m.down().weight().toDType(DType.F64), 0.0, rhs);
    Matrix x = new Cholesky(compute, CholeskyOptions.defaults()).solve(cjj, rhs); // k × d
    Matrix down = x.transposeCopy().toDType(DType.F32);
    return new Mlp(Pruning.rowsOf(m.up(), kept), m.gate() == null ? null : Pruning.rowsOf(m.gate(), kept),
        new Linear(down, m.down().bias() == null ? null : m.down().bias().copy()), m.activation());
  }
}
