package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import structura.algorithms.linalg.RowRanges;
import structura.algorithms.nn.Pruning;
import structura.algorithms.nn.TransformerForward;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The STAT engine: the calibrate–select–correct loop of STAT ({@link StatStrategy}), which
 * id-prune ({@link IdPruneStrategy}) runs with FFN-only selection and its own allocation rule.
 *
 * <ol>
 * <li><b>Allocation</b> (global budgets only): one pass of the <em>original</em> network over a
 * sample of the calibration texts gives, per block, the output error of every head count
 * ({@link HeadSelection}) and every neuron count ({@link NeuronSelection}). A greedy rule then
 * removes, one at a time, the head or neuron group whose removal costs the least error per MAC
 * (or parameter) saved, until the budget holds. Errors are normalised by the block input's
 * centered energy, so blocks are compared on how much they perturb the residual stream.</li>
 * <li><b>Sequential compression</b>: blocks in order, on the outputs of the already-compressed
 * blocks 0..i−1: the original block's per-head outputs are computed and its heads selected and
 * the output projection refitted; then the FFN activations are computed behind the
 * <em>pruned</em> attention and the neurons selected and the down projection corrected; the block
 * output comes from the pruned FFN. Each sublayer thus sees the inputs it will see in the
 * compressed network. Activations go into the (sketched) Gram matrices batch by batch; whether
 * they are also <em>retained</em> until the selection is made ({@link Retention}) is a question of
 * memory only: retained, the kept heads' outputs and kept neurons' activations are gathered from
 * them; streamed, the pruned sublayers recompute them. The two give bit-identical networks.</li>
 * </ol>
 * Cost: the allocation pass is one forward pass of the sample; the sequential stage per block over
 * all calibration batches, retained: the full attention once, the full FFN up projection once and
 * the pruned down projection once (about one block evaluation); streamed, in addition the pruned
 * attention and the pruned FFN up projection (about 1.5 block evaluations); plus the selections
 * (pivoted Cholesky f·k², per block) and the Gram matrices N·f² (or the sketch).
 * Memory: besides the Gram matrices (and sketch) of one block, the hidden states and MLP inputs of
 * all batches ({@code 2·B·L·d} floats, d = 384 for MiniLM: about 230 MB for 38 k tokens); retained,
 * also the head outputs and FFN activations of one block ({@code B·L·(h·d_v + f)} floats, about
 * 490 MB for the README job's 63,872 padded rows, 2.2 GB for 287 k).
 */
final class StatEngine {
  /** How per-block sizes are chosen for a global budget. */
  enum Allocation {
    /** Least output error per unit of cost, over heads and neuron groups (STAT). */
    OUTPUT_ERROR_PER_COST,
    /** Chee et al.'s iteration: shrink the FFN with the least |R(k',k')/R(0,0)| / cost by a step fraction. */
    PIVOT_RATIO_PER_COST
  }

  /**
   * Whether the sequential pass keeps a block's head outputs and FFN activations of all batches
   * until its selections are made, or recomputes the kept ones. Results are bit-identical; the
   * choice trades memory ({@code rows·(h·d_v + f)·4} bytes) for about half a block evaluation.
   */
  enum Retention {
    /** Retain what fits in {@link #RETAINED_HEAP_SHARE} of the maximum heap, stream the rest. */
    AUTO,
    /** Retain head outputs and FFN activations whatever their size. */
    ALWAYS,
    /** Stream both: memory independent of the number of calibration texts. */
    NEVER
  }

  /** Share of {@link Runtime#maxMemory()} that {@link Retention#AUTO} may fill with retained activations. */
  static final double RETAINED_HEAP_SHARE = 0.25;

  /** Which error the allocation's greedy rule weighs ({@link Allocation#OUTPUT_ERROR_PER_COST} only). */
  enum ErrorTarget {
    /** Each block's own output error, normalised by its input's centered energy (STAT). */
    BLOCK,
    /**
     * The final sentence embedding's error ({@link EmbeddingAllocation}): each block's head and
     * neuron error curves are weighted by a measured sensitivity, the final-embedding error of
     * pruning that sublayer alone divided by its block error at the same width, and the greedy
     * rule reruns on the weighted curves; {@link #EMBEDDING_ROUNDS} rounds, each re-measuring the
     * sensitivities at the previous round's widths. Of the block allocation and each round's, the
     * one with the least measured embedding error on the sample is kept.
     */
    EMBEDDING
  }

  /** Sensitivity rounds of {@link ErrorTarget#EMBEDDING}. */
  static final int EMBEDDING_ROUNDS = 2;

  record Settings(String method, Citation citation, boolean pruneHeads, boolean centered, Allocation allocation,
      double step, int neuronMultiple, int allocationSamples, int sketchRows, long seed, ErrorTarget target,
      OutputCorrection.Mode normCorrection, boolean lowRank, double pruneFraction, boolean residualId) {
    Settings(String method, Citation citation, boolean pruneHeads, boolean centered, Allocation allocation,
        double step, int neuronMultiple, int allocationSamples, int sketchRows, long seed) {
      this(method, citation, pruneHeads, centered, allocation, step, neuronMultiple, allocationSamples, sketchRows, seed,
          ErrorTarget.BLOCK, OutputCorrection.Mode.NONE, false, 0, false);
    }
  }

  private StatEngine() {}

  /**
   * Default CountSketch rows for the FFN Gram matrices of the sequential pass. On all-MiniLM-L6-v2
   * with 512 calibration texts (62,541 tokens) a 16,384-row sketch left STAT's fidelity at 50 %
   * MACs unchanged (0.8067 exact, 0.8067 sketched, 1179 test texts) and takes the FFN Gram from
   * N·f² to 16384·f² flops. Calibration sets with at most this many tokens are never sketched.
   */
  static final int DEFAULT_SKETCH_ROWS = 16384;

  static CompressionResult run(CompressionRequest request, Settings s) {
    return run(request, s, Retention.AUTO);
  }

  static CompressionResult run(CompressionRequest request, Settings s, Retention retention) {
    Map<String, Double> stages = new LinkedHashMap<>();
    TransformerNetwork original = request.network();
    Pruning.requireDense(original, s.method());
    CalibrationData data = request.calibration();
    data.requireEnoughTokens(original);
    MacModel macs = new MacModel(data.meanLength());
    int blocks = original.depth();
    int[] keepHeads = new int[blocks];
    int[] keepNeurons = new int[blocks];
    long t0 = System.nanoTime();
    double ratio = 1; // of the low-rank attention output and FFN down projections (PruneThenLowRank); 1: none
    if (s.lowRank() && request.budget() instanceof Budget.KeepFractions) {
      throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT, s.method()
          + ": low-rank=true splits a global budget between pruning and low rank; per-block head and neuron "
          + "fractions fix the pruning alone.", "Give a global budget (--target F), or drop -o low-rank=true.");
    }
    if (request.budget() instanceof Budget.KeepFractions k) {
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = original.blocks().get(i);
        // grouped-query attention loses whole key/value groups: the fraction counts groups
        keepHeads[i] = s.pruneHeads() ? groupSize(b.attention())
            * Math.max(1, (int) Math.ceil(k.heads() * b.attention().kvHeads() - 1e-9)) : b.attention().heads();
        keepNeurons[i] = Widths.roundNeurons((int) Math.ceil(k.neurons() * b.mlp().width() - 1e-9), b.mlp().width(),
            s.neuronMultiple());
      }
    } else {
      request.progress().stage("allocation pass (" + Math.min(data.texts(), s.allocationSamples()) + " texts, original model)");
      ratio = allocate(request, s, macs, data.sample(s.allocationSamples()), keepHeads, keepNeurons);
      stages.put("allocation", Timing.seconds(t0));
    }
    // residual dims each sublayer reads (ResidualInputId); d: all
    int residualDims = original.width();
    if (s.residualId()) {
      if (request.budget() instanceof Budget.KeepFractions) {
        throw new structura.api.InvalidArgumentException(structura.api.ErrorCode.INVALID_ARGUMENT, s.method()
            + ": residual-id=true reaches a global budget with the residual reads; per-block head and neuron "
            + "fractions fix the pruning alone.", "Give a global budget (--target F), or drop -o residual-id=true.");
      }
      residualDims = ResidualInputId.keptDims(original, request.budget(), macs.sequenceLength(), keepHeads, keepNeurons);
      request.progress().stage("residual ID: each sublayer reads " + residualDims + " of " + original.width()
          + " residual dimensions");
    }
    long t1 = System.nanoTime();
    request.progress().stage("sequential compression (" + data.texts() + " texts, " + data.tokens() + " tokens)");
    Calibrator cal = new Calibrator(request.compute(), original, data);
    // the original network's block outputs on the original inputs, the target of the output correction
    Calibrator reference = null;
    if (s.normCorrection() != OutputCorrection.Mode.NONE) {
      double[] ones = new double[original.width()];
      Arrays.fill(ones, 1);
      OutputCorrection.fold(original.blocks().get(0), new OutputCorrection.Fit(ones, new double[original.width()]),
          s.normCorrection(), s.method()); // fails now, not after a block's work, if the model cannot take it
      reference = new Calibrator(request.compute(), original, data);
    }
    Pass pass = new Pass(request, s, retention, original, data, cal, reference, residualDims, ratio);
    TransformerNetwork current = original;
    List<CompressionReport.BlockReport> reports = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      BlockResult r = compressBlock(pass, i, current, keepHeads[i], keepNeurons[i]);
      current = r.network();
      reports.add(r.report());
    }
    stages.put("sequential compression", Timing.seconds(t1));
    return new CompressionResult(current, CompressionReport.of(request, s.method(), s.citation(), original, current, reports, stages));
  }

  // ---- sequential pass -----------------------------------------------------------------------

  /**
   * What every block of the sequential pass shares.
   *
   * @param cal the compressed prefix's block inputs, advanced block by block
   * @param reference the original network's block outputs (for the output correction), or null
   * @param residualDims residual dimensions each sublayer reads (the block width: all)
   * @param ratio low-rank ratio of the output and down projections (1: none)
   */
  private record Pass(CompressionRequest request, Settings s, Retention retention, TransformerNetwork original,
      CalibrationData data, Calibrator cal, Calibrator reference, int residualDims, double ratio) {
    Compute compute() {
      return request.compute();
    }

    boolean lowRank() {
      return ratio < 1;
    }
  }

  /**
   * Step 1: the original block's heads on the compressed prefix's outputs.
   *
   * @param network the network with this block's attention inputs folded (residual ID), else unchanged
   * @param attention the block's attention (inputs folded by the residual ID)
   * @param reads the attention input's residual ID, or null
   * @param stats the head outputs' (Gram) statistics
   * @param retained per batch, all heads' outputs when retained, else empty
   */
  private record HeadStatistics(TransformerNetwork network, Attention attention, DispStrategy.Selection reads,
      StatisticsHook stats, List<Matrix> retained, double seconds) {}

  /**
   * Step 2: the pruned attention, output projection refitted (and factored with low rank).
   *
   * @param keptGroups kept key/value groups, ascending (all when not pruned)
   * @param error relative output error of the head pruning (0 when not pruned)
   */
  private record HeadChoice(Attention attention, int[] keptGroups, double error, double seconds) {}

  /**
   * Step 3: the FFN statistics behind the pruned attention.
   *
   * @param network the network with the pruned attention and, with the residual ID, the folded MLP
   * @param mlp the block's MLP (up and gate inputs folded by the residual ID)
   * @param reads the MLP input's residual ID, or null
   * @param inputs per batch, the MLP's input and the residual it adds to
   * @param retained per batch, all neurons' activations when retained, else empty
   */
  private record FfnStatistics(TransformerNetwork network, Mlp mlp, DispStrategy.Selection reads,
      StatisticsHook stats, List<TransformerForward.MlpInput> inputs, List<Matrix> retained, double seconds) {}

  /**
   * Step 4: the pruned MLP, down projection corrected (and factored with low rank).
   *
   * @param kept kept neurons, ascending (all when not pruned)
   * @param error relative output error of the neuron pruning (0 when not pruned)
   */
  private record NeuronChoice(Mlp mlp, int[] kept, double error, double seconds) {}

  /** A compressed block: the network with it in place, and its report. */
  private record BlockResult(TransformerNetwork network, CompressionReport.BlockReport report) {}

  /**
   * Block i of the sequential pass: heads, then neurons behind the pruned attention, then the
   * output (and the norm correction); advances {@code pass.cal()} to the compressed block's outputs.
   */
  private static BlockResult compressBlock(Pass p, int i, TransformerNetwork current, int keepHeads, int keepNeurons) {
    TransformerBlock b = p.original().blocks().get(i);
    List<CompressionReport.LayerRank> ranks = new ArrayList<>();
    HeadStatistics hst = headStatistics(p, i, current, keepHeads);
    HeadChoice heads = selectHeads(p, i, hst, keepHeads, ranks);
    long t = System.nanoTime();
    current = Pruning.replace(hst.network(), i, new TransformerBlock(heads.attention(), b.mlp(), b.attentionNorm(),
        b.mlpNorm(), b.placement()));
    double headSeconds = heads.seconds() + Timing.seconds(t);
    FfnStatistics fst = ffnStatistics(p, i, current, hst, heads);
    NeuronChoice neurons = selectNeurons(p, i, fst, keepNeurons, ranks);
    t = System.nanoTime();
    current = Pruning.replace(fst.network(), i, new TransformerBlock(heads.attention(), neurons.mlp(),
        b.attentionNorm(), b.mlpNorm(), b.placement()));
    Attention newAttention = heads.attention();
    Mlp newMlp = neurons.mlp();
    String reads = "";
    if (hst.reads() != null) {
      // the folded layers, dense with zero columns so far, now read the kept dims only
      current = Pruning.replace(current, i, ResidualInputId.select(current.blocks().get(i), hst.reads().kept(),
          fst.reads().kept()));
      newAttention = current.blocks().get(i).attention();
      newMlp = current.blocks().get(i).mlp();
      reads = String.format(java.util.Locale.ROOT, ", reads %d/%d residual dims (rel. ID error attention input %.4f, "
          + "MLP input %.4f)", hst.reads().kept().length, b.width(), hst.reads().error(), fst.reads().error());
    }
    double neuronSeconds = neurons.seconds() + Timing.seconds(t);
    t = System.nanoTime();
    List<Matrix> outputs = blockOutputs(p, i, current, fst, neurons.kept());
    String correction = "";
    if (p.reference() != null) {
      OutputCorrection.Fit fit = outputCorrection(p, i, outputs);
      current = Pruning.replace(current, i, OutputCorrection.fold(current.blocks().get(i), fit,
          p.s().normCorrection(), p.s().method()));
      OutputCorrection.apply(fit, outputs);
      correction = ", output correction " + fit.summary();
    }
    p.cal().advanceTo(i, outputs);
    Attention a = hst.attention();
    Mlp m = fst.mlp();
    CompressionReport.BlockReport report = new CompressionReport.BlockReport(i, a.heads(), newAttention.heads(),
        a.headDim(), newAttention.headDim(), a.valueDim(), newAttention.valueDim(), m.width(), newMlp.width(),
        heads.error(), neurons.error(), ranks);
    p.request().progress().block(i, p.original().depth(), String.format(java.util.Locale.ROOT,
        "heads %d -> %d, neurons %d -> %d, rel. error attention %.4f, FFN %.4f%s "
            + "(attention %.1f s, head selection %.1f s, FFN %.1f s, neuron selection %.1f s, output %.1f s)%s",
        a.heads(), newAttention.heads(), m.width(), newMlp.width(), heads.error(), neurons.error(),
        rankSummary(ranks), hst.seconds(), headSeconds, fst.seconds(), neuronSeconds, Timing.seconds(t),
        reads + correction));
    return new BlockResult(current, report);
  }

  /**
   * Step 1: the residual ID of the attention input (folded into Q, K, V before the heads are
   * selected), then the heads' outputs on every batch: their Gram matrix when heads are pruned or
   * factored, and the outputs themselves when retained (else step 3 recomputes the kept ones).
   */
  private static HeadStatistics headStatistics(Pass p, int i, TransformerNetwork current, int keepHeads) {
    long t = System.nanoTime();
    TransformerBlock b = p.original().blocks().get(i);
    Attention a = b.attention();
    Mlp m = b.mlp();
    Settings s = p.s();
    Calibrator cal = p.cal();
    int n = cal.batches();
    boolean retainHeads = retains(p.retention(), cal.rows() * a.heads() * a.valueDim());
    boolean pruneHeadsHere = s.pruneHeads() && keepHeads < a.heads();
    DispStrategy.Selection reads = null;
    if (p.residualDims() < b.width()) {
      StatisticsHook inStats = hook(p, i, b, a, m, EnumSet.of(StatisticsHook.Kind.ATTENTION_INPUT), 0);
      TransformerForward f0 = new TransformerForward(p.compute(), current);
      for (int q = 0; q < n; q++) {
        f0.attentionHeads(i, cal.state(q), cal.batch(q), inStats);
      }
      reads = DispStrategy.inputSelection(p.compute(), inStats.attentionInput, p.residualDims(), s.centered(),
          "block " + i + " attention input");
      a = ResidualInputId.foldInputs(p.compute(), reads, a);
      current = Pruning.replace(current, i, new TransformerBlock(a, m, b.attentionNorm(), b.mlpNorm(), b.placement()));
    }
    StatisticsHook stats = hook(p, i, b, a, m,
        pruneHeadsHere || p.lowRank() ? EnumSet.of(StatisticsHook.Kind.HEADS) : EnumSet.noneOf(StatisticsHook.Kind.class), 0);
    TransformerForward f = new TransformerForward(p.compute(), current);
    List<Matrix> retained = new ArrayList<>(retainHeads ? n : 0);
    if (pruneHeadsHere || p.lowRank() || retainHeads) {
      for (int q = 0; q < n; q++) {
        Matrix h = f.attentionHeads(i, cal.state(q), cal.batch(q), stats);
        if (retainHeads) {
          retained.add(h);
        }
      }
    }
    return new HeadStatistics(current, a, reads, stats, retained, Timing.seconds(t));
  }

  /**
   * Step 2: the kept key/value groups by {@link HeadSelection} on the heads' (centered) scatter,
   * the output projection refitted; with low rank, the refitted projection factored.
   */
  private static HeadChoice selectHeads(Pass p, int i, HeadStatistics hst, int keepHeads,
      List<CompressionReport.LayerRank> ranks) {
    long t = System.nanoTime();
    Attention a = hst.attention();
    boolean center = p.s().centered() && p.original().blocks().get(i).attention().output().bias() != null;
    boolean pruneHeadsHere = p.s().pruneHeads() && keepHeads < a.heads();
    Attention pruned = a;
    int[] keptGroups = range(a.kvHeads());
    double error = 0;
    if (pruneHeadsHere) {
      var mom = hst.stats().heads.moments();
      Matrix scatter = center ? mom.centeredScatter() : mom.gram();
      // a key/value group's query heads are adjacent column blocks of A: the group is one selection unit
      int size = groupSize(a);
      HeadSelection hs = HeadSelection.of(p.compute(), scatter, a.output().weight(), a.kvHeads(),
          size * a.valueDim());
      keptGroups = hs.kept(keepHeads / size);
      pruned = prunedAttention(a, hs, keptGroups, center ? mom.mean() : null);
      error = Math.sqrt(hs.error[keepHeads / size] / Math.max(hs.error[0], 1e-300));
      if (p.lowRank()) {
        int[] cols = PruneThenLowRank.headColumns(a, keptGroups);
        pruned = withOutput(pruned, PruneThenLowRank.factor(p.compute(), pruned.output(),
            PruneThenLowRank.principal(scatter, cols), center ? PruneThenLowRank.select(mom.mean(), cols) : null,
            p.ratio(), "output", "block " + i + " kept head outputs", ranks));
      }
    } else if (p.lowRank()) {
      var mom = hst.stats().heads.moments();
      pruned = withOutput(a, PruneThenLowRank.factor(p.compute(), a.output(),
          center ? mom.centeredScatter() : mom.gram(), center ? mom.mean() : null, p.ratio(), "output",
          "block " + i + " head outputs", ranks));
    }
    return new HeadChoice(pruned, keptGroups, error, Timing.seconds(t));
  }

  /**
   * Step 3: the FFN statistics behind the pruned attention (the kept heads' outputs gathered or
   * recomputed); with the residual ID, the MLP input's ID folded into up (and gate) first. The
   * FFN activations are retained or, streamed, only their (sketched) Gram matrix kept, so memory
   * does not grow with N·f (287 k tokens × 1536 floats = 1.8 GB).
   *
   * @param current the network with the pruned attention in block i
   */
  private static FfnStatistics ffnStatistics(Pass p, int i, TransformerNetwork current, HeadStatistics hst,
      HeadChoice heads) {
    long t = System.nanoTime();
    TransformerBlock b = p.original().blocks().get(i);
    Attention a = hst.attention();
    Mlp m = b.mlp();
    Settings s = p.s();
    Calibrator cal = p.cal();
    int n = cal.batches();
    boolean retainHeads = !hst.retained().isEmpty();
    boolean retainFfn = retains(p.retention(), cal.rows() * ((long) a.heads() * a.valueDim() + m.width()));
    StatisticsHook stats = hook(p, i, b, a, m, EnumSet.of(StatisticsHook.Kind.FFN), sketchRows(s, p.data()));
    TransformerForward f = new TransformerForward(p.compute(), current);
    List<TransformerForward.MlpInput> inputs = new ArrayList<>(n);
    List<Matrix> activations = new ArrayList<>(retainFfn ? n : 0);
    int groupColumns = groupSize(a) * a.valueDim();
    DispStrategy.Selection reads = null;
    StatisticsHook inputStats = null;
    if (p.residualDims() < b.width()) {
      // the residual ID of the MLP input, folded into up (and gate) before the neuron statistics
      inputStats = hook(p, i, b, a, m, EnumSet.of(StatisticsHook.Kind.MLP_INPUT), 0);
    }
    List<Matrix> retainedHeads = hst.retained();
    for (int q = 0; q < n; q++) {
      Matrix keptHeadOutputs = retainHeads
          ? columnBlocks(retainedHeads.set(q, null), heads.keptGroups(), groupColumns, threads(p))
          : f.attentionHeads(i, cal.state(q), cal.batch(q), null);
      TransformerForward.MlpInput in = f.mlpInput(i, cal.state(q), keptHeadOutputs);
      inputs.add(in);
      Matrix act = f.ffnActivations(i, in.input(), cal.batch(q), inputStats != null ? inputStats : stats);
      if (retainFfn && inputStats == null) {
        activations.add(act);
      }
    }
    if (inputStats != null) {
      reads = DispStrategy.inputSelection(p.compute(), inputStats.mlpInput, p.residualDims(), s.centered(),
          "block " + i + " MLP input");
      m = ResidualInputId.foldInputs(p.compute(), reads, m);
      current = Pruning.replace(current, i, new TransformerBlock(heads.attention(), m, b.attentionNorm(), b.mlpNorm(),
          b.placement()));
      f = new TransformerForward(p.compute(), current);
      for (int q = 0; q < n; q++) {
        Matrix act = f.ffnActivations(i, inputs.get(q).input(), cal.batch(q), stats);
        if (retainFfn) {
          activations.add(act);
        }
      }
    }
    return new FfnStatistics(current, m, reads, stats, inputs, activations, Timing.seconds(t));
  }

  /**
   * Step 4: the kept neurons by {@link NeuronSelection} on the activations' (centered) scatter,
   * the down projection corrected; with low rank, the corrected projection factored.
   */
  private static NeuronChoice selectNeurons(Pass p, int i, FfnStatistics fst, int keepNeurons,
      List<CompressionReport.LayerRank> ranks) {
    long t = System.nanoTime();
    Mlp m = fst.mlp();
    boolean center = p.s().centered() && p.original().blocks().get(i).mlp().down().bias() != null;
    Mlp pruned = m;
    int[] kept = range(m.width());
    double error = 0;
    if (keepNeurons < m.width()) {
      var mom = fst.stats().ffn.moments();
      Matrix scatter = center ? mom.centeredScatter() : mom.gram();
      NeuronSelection ns = NeuronSelection.of(p.compute(), scatter, m.down().weight(), keepNeurons);
      int k = Math.min(keepNeurons, ns.rank());
      kept = ns.kept(k);
      pruned = prunedMlp(m, ns, k, center ? mom.mean() : null);
      error = Math.sqrt(ns.error[k] / Math.max(ns.error[0], 1e-300));
      if (p.lowRank()) {
        pruned = withDown(pruned, PruneThenLowRank.factor(p.compute(), pruned.down(),
            PruneThenLowRank.principal(scatter, kept), center ? PruneThenLowRank.select(mom.mean(), kept) : null,
            p.ratio(), "down", "block " + i + " kept FFN activations", ranks));
      }
    } else if (p.lowRank()) {
      var mom = fst.stats().ffn.moments();
      pruned = withDown(m, PruneThenLowRank.factor(p.compute(), m.down(), center ? mom.centeredScatter() : mom.gram(),
          center ? mom.mean() : null, p.ratio(), "down", "block " + i + " FFN activations", ranks));
    }
    return new NeuronChoice(pruned, kept, error, Timing.seconds(t));
  }

  /**
   * Step 5: the compressed block's output on every batch, from the kept neurons' activations
   * (gathered from the retained ones, or recomputed). Releases the step 3 inputs and activations.
   *
   * @param current the network with the compressed block i
   */
  private static List<Matrix> blockOutputs(Pass p, int i, TransformerNetwork current, FfnStatistics fst, int[] kept) {
    TransformerForward f = new TransformerForward(p.compute(), current);
    Calibrator cal = p.cal();
    int n = cal.batches();
    boolean retainFfn = !fst.retained().isEmpty();
    List<TransformerForward.MlpInput> inputs = fst.inputs();
    List<Matrix> activations = fst.retained();
    List<Matrix> outputs = new ArrayList<>(n);
    for (int q = 0; q < n; q++) {
      TransformerForward.MlpInput in = inputs.set(q, null);
      Matrix act = retainFfn ? columnBlocks(activations.set(q, null), kept, 1, threads(p))
          : f.ffnActivations(i, in.input(), cal.batch(q), null);
      outputs.add(f.finishBlock(i, in, act));
    }
    return outputs;
  }

  /**
   * Step 6 (norm correction only): the fit of the compressed block's outputs to the original
   * network's block outputs on the original inputs; advances {@code pass.reference()}.
   */
  private static OutputCorrection.Fit outputCorrection(Pass p, int i, List<Matrix> outputs) {
    p.reference().advance(p.original(), i, null);
    OutputCorrection oc = new OutputCorrection(p.original().blocks().get(i).width());
    for (int q = 0; q < outputs.size(); q++) {
      oc.accept(outputs.get(q), p.reference().state(q), p.cal().batch(q));
    }
    return oc.fit(p.s().normCorrection());
  }

  /**
   * Attention a keeping {@code heads} query heads, chosen by {@code hs} in whole key/value groups
   * (a group is one head under multi-head attention), its output projection refitted by {@code hs}.
   */
  static Attention prunedAttention(Attention a, HeadSelection hs, int heads, double[] mean) {
    return prunedAttention(a, hs, hs.kept(heads / groupSize(a)), mean);
  }

  /** Attention a keeping the key/value groups {@code keptGroups} (ascending, from {@code hs}), its output projection refitted. */
  static Attention prunedAttention(Attention a, HeadSelection hs, int[] keptGroups, double[] mean) {
    var corr = hs.correction(keptGroups, mean, a.output().weight());
    Attention sel = Pruning.keepGroups(a, keptGroups);
    return new Attention(sel.heads(), sel.kvHeads(), sel.headDim(), sel.valueDim(), sel.query(), sel.key(),
        sel.value(), new Linear(corr.weight(), shifted(a.output().bias(), corr.biasDelta())), sel.scale(),
        sel.causal(), sel.rotary());
  }

  /** The statistics of block i's sequential-pass steps: attention a and MLP m (possibly already pruned), seed seed + i. */
  private static StatisticsHook hook(Pass p, int i, TransformerBlock b, Attention a, Mlp m, EnumSet<StatisticsHook.Kind> kinds,
      int sketchRows) {
    return StatisticsHook.of(p.compute(), i, kinds, a, m, b.width(), sketchRows, p.s().seed() + i);
  }

  /** Host threads of the pass's backend, for the host-side gathers. */
  private static int threads(Pass p) {
    return p.compute().backend().hostThreads();
  }

  private static Attention withOutput(Attention a, Linear output) {
    return new Attention(a.heads(), a.kvHeads(), a.headDim(), a.valueDim(), a.query(), a.key(), a.value(), output,
        a.scale(), a.causal(), a.rotary());
  }

  private static Mlp withDown(Mlp m, Linear down) {
    return new Mlp(m.up(), m.gate(), down, m.activation());
  }

  /** ", low rank output 96 (error 0.01), down dense" for the progress line; empty without low rank. */
  private static String rankSummary(List<CompressionReport.LayerRank> ranks) {
    StringBuilder sb = new StringBuilder();
    for (CompressionReport.LayerRank r : ranks) {
      sb.append(sb.isEmpty() ? ", low rank " : ", ").append(r.layer()).append(' ').append(r.factored()
          ? String.format(java.util.Locale.ROOT, "%d (rel. error %.4f)", r.rank(), r.error()) : "dense");
    }
    return sb.toString();
  }

  /** MLP m keeping the first k pivots of {@code ns} (k ≤ rank), its down projection corrected. */
  static Mlp prunedMlp(Mlp m, NeuronSelection ns, int k, double[] mean) {
    var corr = ns.correction(k, mean, m.down().weight());
    Mlp sel = Pruning.keepNeurons(m, corr.kept());
    return new Mlp(sel.up(), sel.gate(), new Linear(corr.weight(), shifted(m.down().bias(), corr.biasDelta())),
        sel.activation());
  }

  // ---- allocation ----------------------------------------------------------------------------

  /** Fills the widths; returns the low-rank ratio of {@link PruneThenLowRank} (1 without low rank). */
  private static double allocate(CompressionRequest request, Settings s, MacModel macs, CalibrationData sample,
      int[] keepHeads, int[] keepNeurons) {
    TransformerNetwork net = request.network();
    int blocks = net.depth();
    double[][] headErr = new double[blocks][];
    double[][] neuronErr = new double[blocks][];
    double[][] ratio = new double[blocks][];
    boolean embedding = s.target() == ErrorTarget.EMBEDDING;
    // for the embedding target: the selections themselves and every block's sample input
    HeadSelection[] headSel = new HeadSelection[blocks];
    double[][] headMean = new double[blocks][];
    NeuronSelection[] neuronSel = new NeuronSelection[blocks];
    double[][] neuronMean = new double[blocks][];
    // for low rank: every block's statistics of the split search
    PruneThenLowRank.BlockStatistics[] lowRankStats = new PruneThenLowRank.BlockStatistics[blocks];
    List<List<Matrix>> blockInputs = new ArrayList<>();
    Calibrator cal = new Calibrator(request.compute(), net, sample);
    // Block i's selections (much of it single-threaded: pivoting loops, small solves) run on a
    // second thread while block i+1's forward pass runs; the backend takes concurrent calls.
    // Every result goes to its own slot, so the outcome does not depend on the overlap.
    ExecutorService selector = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "structura-allocation-selection");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> selections = new ArrayList<>(blocks);
    try {
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = net.blocks().get(i);
        Attention a = b.attention();
        Mlp m = b.mlp();
        EnumSet<StatisticsHook.Kind> kinds = EnumSet.of(StatisticsHook.Kind.FFN, StatisticsHook.Kind.ATTENTION_INPUT);
        if (s.pruneHeads() || s.lowRank()) {
          kinds.add(StatisticsHook.Kind.HEADS);
        }
        StatisticsHook hook = StatisticsHook.of(request.compute(), i, kinds, a, m, b.width(), sketchRows(s, sample),
            s.seed() + 1000 + i);
        long tf = System.nanoTime();
        if (embedding) {
          List<Matrix> in = new ArrayList<>(cal.batches());
          for (int q = 0; q < cal.batches(); q++) {
            in.add(cal.state(q)); // advance replaces the states by new matrices; these stay unmodified
          }
          blockInputs.add(in);
        }
        cal.advance(net, i, hook);
        double forwardSeconds = Timing.seconds(tf);
        int block = i;
        selections.add(selector.submit(() -> {
          long ts = System.nanoTime();
          double energy = trace(hook.attentionInput.moments().centeredScatter());
          if (s.pruneHeads()) {
            var mom = hook.heads.moments();
            boolean c = s.centered() && a.output().bias() != null;
            HeadSelection hs = HeadSelection.of(request.compute(), c ? mom.centeredScatter() : mom.gram(),
                a.output().weight(), a.kvHeads(), groupSize(a) * a.valueDim());
            headErr[block] = scaled(hs.error, energy); // indexed by kept key/value groups
            if (embedding || s.lowRank()) {
              headSel[block] = hs;
              headMean[block] = c ? mom.mean() : null;
            }
          }
          var mom = hook.ffn.moments();
          boolean c = s.centered() && m.down().bias() != null;
          Matrix ffnScatter = c ? mom.centeredScatter() : mom.gram();
          NeuronSelection ns = NeuronSelection.of(request.compute(), ffnScatter, m.down().weight(), m.width());
          if (s.lowRank()) {
            var hm = hook.heads.moments();
            boolean ch = s.centered() && a.output().bias() != null;
            lowRankStats[block] = new PruneThenLowRank.BlockStatistics(headSel[block], ch ? hm.centeredScatter()
                : hm.gram(), headMean[block], ns, ffnScatter, c ? mom.mean() : null, energy);
          }
          double[] e = new double[m.width() + 1];
          double[] r = new double[m.width() + 1];
          for (int k = 0; k <= m.width(); k++) {
            e[k] = ns.error[Math.min(k, ns.rank())] / energy;
            r[k] = k < ns.rank() ? ns.ratio[k] : 0;
          }
          neuronErr[block] = e;
          ratio[block] = r;
          if (embedding) {
            neuronSel[block] = ns;
            neuronMean[block] = c ? mom.mean() : null;
          }
          request.progress().block(block, blocks, String.format(java.util.Locale.ROOT,
              "error curves of heads and neurons (forward and statistics %.1f s, selection %.1f s, beside the next forward)",
              forwardSeconds, Timing.seconds(ts)));
        }));
      }
      for (Future<?> f : selections) {
        awaitSelection(f);
      }
    } finally {
      selector.shutdownNow();
    }
    // with the residual ID, pruning keeps the prune fraction and the residual reads reach the budget
    Budget pruning = request.budget();
    if (s.residualId()) {
      double p = Math.max(pruning.globalFraction(), s.pruneFraction());
      pruning = pruning instanceof Budget.ParameterFraction ? new Budget.ParameterFraction(p) : new Budget.MacFraction(p);
    }
    BudgetCosts costs = BudgetCosts.of(net, pruning, macs.sequenceLength());
    costs.requireReachable(s.method(), costs.minimum(net, s.pruneHeads(), s.neuronMultiple()), String.format(
        java.util.Locale.ROOT, "keeping %s and %d neurons per block",
        s.pruneHeads() ? "one head (one key/value group of heads for grouped-query attention)"
            : "every head (this method does not prune heads)", Math.max(1, s.neuronMultiple())),
        null);
    double[] headWeight = new double[blocks];
    double[] neuronWeight = new double[blocks];
    Arrays.fill(headWeight, 1);
    Arrays.fill(neuronWeight, 1);
    greedy(net, s, costs, headErr, neuronErr, ratio, headWeight, neuronWeight, keepHeads, keepNeurons);
    if (s.lowRank()) {
      PruneThenLowRank.Plan plan = PruneThenLowRank.search(request.compute(), net, request.budget(),
          macs.sequenceLength(), lowRankStats, headErr, neuronErr,
          (c, h, n) -> greedy(net, s, c, headErr, neuronErr, ratio, headWeight, neuronWeight, h, n), s.pruneFraction(),
          line -> request.progress().stage(line));
      request.progress().stage("pruning + low rank: " + plan.summary() + "; heads " + Arrays.toString(plan.heads())
          + ", neurons " + Arrays.toString(plan.neurons()));
      System.arraycopy(plan.heads(), 0, keepHeads, 0, blocks);
      System.arraycopy(plan.neurons(), 0, keepNeurons, 0, blocks);
      return plan.ratio();
    }
    if (!embedding) {
      return 1;
    }
    EmbeddingAllocation measure = new EmbeddingAllocation(request.compute(), net, sample.batches(), blockInputs,
        (i, h, n) -> prunedBlock(net.blocks().get(i), headSel[i], headMean[i], neuronSel[i], neuronMean[i], h, n));
    int[] bestHeads = keepHeads.clone();
    int[] bestNeurons = keepNeurons.clone();
    double best = measure.of(keepHeads, keepNeurons);
    request.progress().stage(String.format(java.util.Locale.ROOT,
        "embedding allocation: block allocation's embedding error %.5f (sample fidelity %.4f)", best, 1 - best / 2));
    for (int round = 1; round <= EMBEDDING_ROUNDS; round++) {
      for (int i = 0; i < blocks; i++) {
        TransformerBlock b = net.blocks().get(i);
        int h = b.attention().heads();
        int f = b.mlp().width();
        int size = groupSize(b.attention());
        int hp = keepHeads[i] < h ? keepHeads[i] : size * Math.max(1, h / size / 2);
        headWeight[i] = s.pruneHeads() && hp < h
            ? sensitivity(measure.single(i, hp, f), headErr[i][hp / size], headErr[i][0]) : Double.NaN;
        int np = keepNeurons[i] < f ? keepNeurons[i] : Widths.roundNeurons(f / 2, f, s.neuronMultiple());
        neuronWeight[i] = np < f ? sensitivity(measure.single(i, h, np), neuronErr[i][np], neuronErr[i][0]) : Double.NaN;
      }
      fillUnmeasured(headWeight, neuronWeight);
      greedy(net, s, costs, headErr, neuronErr, ratio, headWeight, neuronWeight, keepHeads, keepNeurons);
      double e = measure.of(keepHeads, keepNeurons);
      request.progress().stage(String.format(java.util.Locale.ROOT,
          "embedding allocation round %d: heads %s, neurons %s, embedding error %.5f (sample fidelity %.4f); "
              + "sensitivities heads %s, neurons %s",
          round, Arrays.toString(keepHeads), Arrays.toString(keepNeurons), e, 1 - e / 2, format(headWeight),
          format(neuronWeight)));
      if (e < best) {
        best = e;
        bestHeads = keepHeads.clone();
        bestNeurons = keepNeurons.clone();
      }
    }
    System.arraycopy(bestHeads, 0, keepHeads, 0, blocks);
    System.arraycopy(bestNeurons, 0, keepNeurons, 0, blocks);
    return 1;
  }

  /**
   * The greedy rule: from the full widths, removes one head or neuron group at a time, the one
   * whose removal adds the least weighted error per unit of cost ({@code weight · Δerror / Δcost};
   * the pivot-ratio rule of id-prune ignores the weights), until the budget holds.
   */
  private static void greedy(TransformerNetwork net, Settings s, BudgetCosts costs, double[][] headErr,
      double[][] neuronErr, double[][] ratio, double[] headWeight, double[] neuronWeight, int[] keepHeads,
      int[] keepNeurons) {
    int blocks = net.depth();
    double total = costs.total();
    for (int i = 0; i < blocks; i++) {
      keepHeads[i] = net.blocks().get(i).attention().heads();
      keepNeurons[i] = net.blocks().get(i).mlp().width();
    }
    double target = costs.target();
    double cost = total;
    while (cost > target) {
      int bestBlock = -1;
      boolean bestIsHead = false;
      int bestNewNeurons = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      for (int i = 0; i < blocks; i++) {
        int f = net.blocks().get(i).mlp().width();
        int size = groupSize(net.blocks().get(i).attention());
        if (s.pruneHeads() && keepHeads[i] > size) {
          int groups = keepHeads[i] / size;
          double score = headWeight[i] * (headErr[i][groups - 1] - headErr[i][groups]) / (size * costs.perHead(i));
          if (score < bestScore) {
            bestScore = score;
            bestBlock = i;
            bestIsHead = true;
          }
        }
        int kn = keepNeurons[i];
        int min = Widths.minNeurons(f, s.neuronMultiple());
        if (kn > min) {
          int next = s.allocation() == Allocation.PIVOT_RATIO_PER_COST
              ? Widths.roundNeurons((int) Math.floor(s.step() * kn), f, s.neuronMultiple())
              : kn - Math.max(1, s.neuronMultiple());
          next = Math.max(min, Math.min(next, kn - 1));
          double score = s.allocation() == Allocation.PIVOT_RATIO_PER_COST
              ? ratio[i][next] / (kn * costs.perNeuron(i))
              : neuronWeight[i] * (neuronErr[i][next] - neuronErr[i][kn]) / ((kn - next) * costs.perNeuron(i));
          if (score < bestScore) {
            bestScore = score;
            bestBlock = i;
            bestIsHead = false;
            bestNewNeurons = next;
          }
        }
      }
      if (bestBlock < 0) {
        break; // everything at its minimum; the check above says the target is reachable
      }
      if (bestIsHead) {
        int size = groupSize(net.blocks().get(bestBlock).attention());
        keepHeads[bestBlock] -= size;
        cost -= size * costs.perHead(bestBlock);
      } else {
        cost -= (keepNeurons[bestBlock] - bestNewNeurons) * costs.perNeuron(bestBlock);
        keepNeurons[bestBlock] = bestNewNeurons;
      }
    }
  }

  /** Query heads per key/value head: 1 for multi-head attention, the unit heads are pruned in. */
  static int groupSize(Attention a) {
    return a.heads() / a.kvHeads();
  }

  /** Block b pruned to (heads, neurons) with the allocation pass's selections (null where that sublayer is full). */
  private static TransformerBlock prunedBlock(TransformerBlock b, HeadSelection hs, double[] headMean,
      NeuronSelection ns, double[] neuronMean, int heads, int neurons) {
    Attention a = heads < b.attention().heads() ? prunedAttention(b.attention(), hs, heads, headMean)
        : b.attention();
    Mlp m = neurons < b.mlp().width() ? prunedMlp(b.mlp(), ns, Math.min(neurons, ns.rank()), neuronMean) : b.mlp();
    return new TransformerBlock(a, m, b.attentionNorm(), b.mlpNorm(), b.placement());
  }

  /**
   * Embedding error per unit of block error at one width; NaN where the block error is below
   * 1e-9 of the sublayer's total (nothing to measure against).
   */
  private static double sensitivity(double embeddingError, double blockError, double blockTotal) {
    return blockError > 1e-9 * blockTotal && blockError > 0 ? embeddingError / blockError : Double.NaN;
  }

  /** Unmeasured sensitivities take the median of the measured ones (1 when none was measured). */
  private static void fillUnmeasured(double[] a, double[] b) {
    double[] all = java.util.stream.DoubleStream.concat(Arrays.stream(a), Arrays.stream(b)).filter(Double::isFinite)
        .sorted().toArray();
    double median = all.length == 0 ? 1 : all[all.length / 2];
    for (double[] w : new double[][] {a, b}) {
      for (int i = 0; i < w.length; i++) {
        if (!Double.isFinite(w[i])) {
          w[i] = median;
        }
      }
    }
  }

  private static String format(double[] w) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < w.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.3g", w[i]));
    }
    return sb.append(']').toString();
  }

  /** The sketch size, or 0 (exact) when the sketch would not have fewer rows than the data. */
  private static int sketchRows(Settings s, CalibrationData data) {
    return s.sketchRows() > 0 && s.sketchRows() < data.tokens() ? s.sketchRows() : 0;
  }

  /** Waits for one block's selections; their exceptions (non-finite statistics, ...) surface unchanged. */
  private static void awaitSelection(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the allocation pass's selections", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static double[] scaled(double[] e, double energy) {
    double[] out = e.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] /= energy;
    }
    return out;
  }

  private static double trace(Matrix m) {
    double t = 0;
    for (int i = 0; i < m.rows(); i++) {
      t += m.get(i, i);
    }
    return Math.max(t, 1e-300);
  }

  static Matrix shifted(Matrix bias, double[] delta) {
    if (bias == null) {
      return null;
    }
    Matrix out = Matrix.zeros(DType.F32, 1, bias.cols());
    for (int j = 0; j < bias.cols(); j++) {
      out.set(0, j, bias.get(0, j) + delta[j]);
    }
    return out;
  }


  /** Whether {@code floats} retained activations fit the policy (4 bytes each under {@link Retention#AUTO}). */
  static boolean retains(Retention retention, long floats) {
    return switch (retention) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> floats * Float.BYTES <= RETAINED_HEAP_SHARE * Runtime.getRuntime().maxMemory();
    };
  }

  /** The column blocks {@code keep[c]·width .. +width} of m, side by side in a new matrix (m itself when all are kept in order). */
  static Matrix columnBlocks(Matrix m, int[] keep, int width) {
    return columnBlocks(m, keep, width, 1);
  }

  /**
   * As {@link #columnBlocks(Matrix, int[], int)}, the rows gathered in ranges on {@code threads}
   * host threads ({@link RowRanges}; a copy, so the same on any thread count).
   */
  static Matrix columnBlocks(Matrix m, int[] keep, int width, int threads) {
    if (keep.length * width == m.cols() && isRange(keep)) {
      return m;
    }
    Matrix out = Matrix.zeros(DType.F32, m.rows(), keep.length * width);
    float[] src = m.f32();
    float[] dst = out.f32();
    int cols = out.cols();
    RowRanges.forEach(threads, m.rows(), GATHER_ROWS, (from, to) -> {
      if (width == 1) {
        // a gather: one arraycopy call per element (FFN neurons) costs several times the copy itself
        for (int r = from; r < to; r++) {
          int s = m.index(r, 0);
          int d = r * cols;
          for (int c = 0; c < keep.length; c++) {
            dst[d + c] = src[s + keep[c]];
          }
        }
        return;
      }
      for (int r = from; r < to; r++) {
        int s = m.index(r, 0);
        int d = r * cols;
        for (int c = 0; c < keep.length; c++) {
          System.arraycopy(src, s + keep[c] * width, dst, d + c * width, width);
        }
      }
    });
    return out;
  }

  /** Fewest rows per task of {@link #columnBlocks(Matrix, int[], int, int)} (a few hundred thousand copied floats). */
  static final int GATHER_ROWS = 512;

  private static boolean isRange(int[] keep) {
    for (int c = 0; c < keep.length; c++) {
      if (keep[c] != c) {
        return false;
      }
    }
    return true;
  }

  static int[] range(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }
}
