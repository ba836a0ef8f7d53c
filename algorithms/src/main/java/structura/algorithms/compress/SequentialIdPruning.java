package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import structura.algorithms.linalg.InterpolativeDecomposition;
import structura.algorithms.linalg.InterpolativeDecompositionOptions;
import structura.algorithms.linalg.InterpolativeDecompositionResult;
import structura.algorithms.linalg.PivotedQr;
import structura.algorithms.linalg.PivotedQrOptions;
import structura.algorithms.linalg.StreamingInterpolativeDecomposition;
import structura.algorithms.nn.SequentialForward;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;
import structura.api.nn.BatchNorm;
import structura.api.nn.Conv2d;
import structura.api.nn.Dense;
import structura.api.nn.Flatten;
import structura.api.nn.Layer;
import structura.api.nn.MaxPool2d;
import structura.api.nn.Relu;
import structura.api.nn.SequentialNetwork;

/**
 * Structured pruning of feed-forward and convolutional networks with interpolative
 * decompositions ({@code id-prune}): whole neurons of Dense layers and whole output channels of
 * Conv2d layers are removed, and the next layer is corrected so that it sees an interpolation of
 * the removed units from the kept ones. No retraining.
 *
 * <p><b>Method.</b> A prunable layer is a Dense or Conv2d layer followed by an optional
 * {@link BatchNorm}, a {@link Relu}, an optional {@link MaxPool2d}, an optional {@link Flatten}
 * and then another Dense or Conv2d layer (so never the last weight layer). Its activations Z are
 * taken after the ReLU, or after the max-pool when one follows (what the next layer reads);
 * convolution activations are reshaped to {@code (N·H·W) × C}, one row per pixel of each sample.
 * Z is never held: the calibration batches are streamed through a TSQR reduction
 * ({@link StreamingInterpolativeDecomposition}) that keeps only the n × n factor R with Z = QR.
 * The column ID Z ≈ Z(:, J)·T (T = [I, R11⁻¹R12] unpermuted, k × n) comes from a column-pivoted
 * QR of R ({@link InterpolativeDecomposition}). Pruning keeps rows J of the layer's weight, its
 * bias entries and batch-norm parameters at J, and folds T into the next weight layer, whose bias
 * is unchanged:
 * <ul>
 *   <li>Dense → Dense: {@code W_next ← W_next·Tᵀ};</li>
 *   <li>Conv2d → Conv2d: per spatial tap, {@code W_next[o, :, dy, dx] ← T·W_next[o, :, dy, dx]};</li>
 *   <li>Conv2d → Flatten → Dense: {@code W_next ← W_next·kron(T, I_s)ᵀ}, s = H·W of the flattened map.</li>
 * </ul>
 * All three are one contraction of the input-channel index of {@code W_next} viewed as
 * {@code out × C × s}, done as one GEMM on {@link Compute} (F64, rounded to F32 at the end).
 *
 * <p>Sizes. {@link SequentialIdPruningOptions.Sizing#FRACTION}: one forward pass of the unpruned
 * network gives every layer's R, and layer ℓ keeps max(1, ⌊f_ℓ·n_ℓ⌋) units (the reference code's
 * {@code prunevgg_ID_tsqr}, {@code k_args='frac'}). {@link SequentialIdPruningOptions.Sizing#FLOP_BUDGET}
 * (the paper's automatic sizing, {@code prunevgg_IDiter_tsqr}): per iteration, every layer with
 * n ≥ 2 units proposes k' = max(1, ⌊step·n⌋) with error proxy |R(k',k')/R(0,0)| (the first dropped
 * pivot of the pivoted QR of its current activations) and cost = the FLOPs the step saves in this
 * layer and the next; the layer with the smallest error/cost is pruned to k', the R factors of it
 * and all later layers are recomputed on the pruned network (earlier layers keep their cached R),
 * and this repeats until the FLOPs are at most {@code targetFlopFraction} of the original.
 *
 * <p><b>Source.</b> J. Chee, M. Renz (Flynn), A. Damle and C. De Sa, "Model Preserving Compression
 * for Neural Networks", NeurIPS 2022 (arXiv 2108.00065, "Pruning Neural Networks with
 * Interpolative Decompositions"); reference code jerry-chee/ModelPreserveCompressionNN
 * ({@code id_utils.getID}, {@code pruneIDLayer}, {@code tsqr}, {@code prunevgg_ID_tsqr},
 * {@code prunevgg_IDiter_tsqr}, {@code getK}); our notes §2.2–2.4.
 *
 * <p><b>Cost.</b> Per pass over N calibration samples: the forward pass up to the last prunable
 * activation, plus TSQR about 2·(N·H·W)·n² flops per prunable layer; per ID a pivoted QR of an
 * n × n R (about 4n³/3) and the solve k²(n−k); the fold 2·k·n·out·s. One-shot sizing makes one
 * pass; the budget iteration one pass per step over the layers from the pruned one on (the forward
 * prefix before it is recomputed, not cached, so memory stays O(batch + Σn²)). Memory: one batch's
 * activations plus the n × n factors.
 *
 * <p><b>Deviations.</b> The guarded triangular solve of {@link InterpolativeDecomposition} replaces
 * {@code pinv(R11)} (same T when R11 is well conditioned). The budget cost is the exact FLOP
 * saving of the step, (n−k')/n·(F_ℓ + F_next), where the code uses 0.1·(F_ℓ + F_next), the same up
 * to the floor in k'; candidates are max(1, ⌊step·n⌋) so no layer reaches 0 units (the code could
 * propose 0). TSQR always streams (the code stacks raw Dense activations when the prune set is
 * small; the pivots are the same in exact arithmetic). Each calibration pass re-runs the layers
 * before the recomputed ones rather than caching their outputs. A layer whose activations have
 * exact numerical rank below k keeps only that many units (the pivoted QR stops at an exactly zero
 * residual). Dropout is not modelled (inference).
 */
public final class SequentialIdPruning {
  private final Compute compute;
  private final SequentialIdPruningOptions options;

  /**
   * @param compute backend of the forward GEMMs, the TSQR and pivoted-QR updates and the fold
   * @param options sizing rule and its parameters
   */
  public SequentialIdPruning(Compute compute, SequentialIdPruningOptions options) {
    this.compute = Objects.requireNonNull(compute, "compute");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A prunable layer: weight layer, optional batch norm, activation point, next weight layer. */
  record Site(int weight, int batchNorm, int activation, int next, int foldSpatial, SequentialNetwork.Shape activationShape) {}

  /**
   * The prunable layers of {@code net}, as indices of their Dense/Conv2d layer, in order. A layer
   * is prunable when it is followed by [BatchNorm], ReLU, [MaxPool2d], [Flatten] and then a Dense
   * or Conv2d layer.
   */
  public static int[] prunableLayers(SequentialNetwork net) {
    return sites(net).stream().mapToInt(Site::weight).toArray();
  }

  static List<Site> sites(SequentialNetwork net) {
    List<Layer> layers = net.layers();
    List<SequentialNetwork.Shape> shapes = net.shapes();
    List<Site> out = new ArrayList<>();
    for (int w = 0; w < layers.size(); w++) {
      if (!(layers.get(w) instanceof Dense || layers.get(w) instanceof Conv2d)) {
        continue;
      }
      int j = w + 1;
      int bn = -1;
      if (j < layers.size() && layers.get(j) instanceof BatchNorm) {
        bn = j++;
      }
      if (j >= layers.size() || !(layers.get(j) instanceof Relu)) {
        continue;
      }
      int act = j++;
      if (j < layers.size() && layers.get(j) instanceof MaxPool2d) {
        act = j++;
      }
      boolean flatten = false;
      if (j < layers.size() && layers.get(j) instanceof Flatten) {
        flatten = true;
        j++;
      }
      if (j >= layers.size()) {
        continue;
      }
      SequentialNetwork.Shape shape = shapes.get(act);
      int s;
      if (layers.get(j) instanceof Conv2d c) {
        s = c.taps();
      } else if (layers.get(j) instanceof Dense) {
        s = flatten ? shape.spatial() : 1;
      } else {
        continue;
      }
      out.add(new Site(w, bn, act, j, s, shape));
    }
    return out;
  }

  /**
   * Prunes with a calibration set given as one {@code N × input.size()} F32 matrix of NCHW rows,
   * streamed in batches of {@link SequentialIdPruningOptions#batchSize()} rows.
   */
  public SequentialIdPruningResult prune(SequentialNetwork net, Matrix calibration) {
    Objects.requireNonNull(calibration, "calibration");
    int b = options.batchSize();
    List<Matrix> batches = new ArrayList<>();
    for (int i = 0; i < calibration.rows(); i += b) {
      batches.add(calibration.view(i, 0, Math.min(b, calibration.rows() - i), calibration.cols()));
    }
    return prune(net, batches);
  }

  /**
   * Prunes {@code net} with activations from the calibration batches.
   *
   * @param net the network; not modified
   * @param calibration batches of NCHW sample rows ({@code n_b × input.size()}, F32); iterated once
   *     (one-shot) or once per greedy step, so it must be re-iterable
   * @return the pruned network with per-layer kept units, errors and FLOPs
   * @throws InvalidArgumentException {@code STRUCTURA-A006} if the calibration set is empty, gives
   *     fewer activation rows than a layer has units, or a layer's activations hold NaN/Inf (the
   *     message names the layer); {@code STRUCTURA-A001} if the network has no prunable layer or a
   *     per-layer fraction names a layer that is not prunable; {@code STRUCTURA-A002} for batches
   *     of the wrong width
   * @throws UnreachableTargetException {@code STRUCTURA-P001} if the FLOP target is below the FLOPs
   *     with every prunable layer at one unit
   */
  public SequentialIdPruningResult prune(SequentialNetwork net, Iterable<Matrix> calibration) {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(calibration, "calibration");
    List<Site> sites = sites(net);
    if (sites.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "SequentialIdPruning: the network has no prunable layer.",
          "A prunable layer is a Dense or Conv2d layer followed by [BatchNorm], ReLU, [MaxPool2d], [Flatten] and another "
              + "Dense or Conv2d layer; the last weight layer is never pruned.");
    }
    long flopsBefore = net.flops();
    State st = new State(net, sites);
    if (options.sizing() == SequentialIdPruningOptions.Sizing.FRACTION) {
      oneShot(st, calibration);
    } else {
      budget(st, calibration, flopsBefore);
    }
    List<SequentialIdPruningResult.LayerResult> layers = new ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      layers.add(new SequentialIdPruningResult.LayerResult(sites.get(i).weight(), st.original[i], st.kept[i].length,
          st.kept[i], st.proxy[i], st.relErr[i]));
    }
    return new SequentialIdPruningResult(st.net, layers, flopsBefore, st.net.flops(), st.steps, st.samples);
  }

  /** Mutable pruning state: the current network and, per site, the kept original units and R. */
  private static final class State {
    SequentialNetwork net;
    final List<Site> sites;
    final int[] original;
    final int[][] kept;
    final double[] proxy;
    final double[] relErr;
    final Matrix[] r;
    final List<SequentialIdPruningResult.Step> steps = new ArrayList<>();
    long samples;

    State(SequentialNetwork net, List<Site> sites) {
      this.net = net;
      this.sites = sites;
      int m = sites.size();
      original = new int[m];
      kept = new int[m][];
      proxy = new double[m];
      relErr = new double[m];
      r = new Matrix[m];
      for (int i = 0; i < m; i++) {
        original[i] = units(net, sites.get(i));
        kept[i] = IntStream.range(0, original[i]).toArray();
      }
    }
  }

  private void oneShot(State st, Iterable<Matrix> calibration) {
    Map<Integer, Double> fractions = options.layerKeepFractions();
    for (Integer layer : fractions.keySet()) {
      if (st.sites.stream().noneMatch(s -> s.weight() == layer)) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "SequentialIdPruning: layerKeepFractions names layer "
            + layer + ", which is not a prunable layer; the prunable layers are "
            + Arrays.toString(prunableLayers(st.net)) + ".",
            "Key the fractions by the index of a prunable Dense/Conv2d layer.");
      }
    }
    factor(st, calibration, 0);
    for (int i = 0; i < st.sites.size(); i++) {
      Site site = st.sites.get(i);
      int n = st.original[i];
      double f = fractions.getOrDefault(site.weight(), options.keepFraction());
      int k = Math.max(1, (int) Math.floor(f * n));
      if (k < n) {
        applyId(st, i, k);
      }
    }
  }

  private void budget(State st, Iterable<Matrix> calibration, long flopsBefore) {
    double target = options.targetFlopFraction() * flopsBefore;
    double minimum = minimumFlops(st.net, st.sites);
    if (minimum > target) {
      double reachable = minimum / flopsBefore;
      throw new UnreachableTargetException("SequentialIdPruning: targetFlopFraction = " + options.targetFlopFraction()
          + " is below the smallest reachable FLOP fraction " + reachable + " (every prunable layer at 1 unit: "
          + (long) minimum + " of " + flopsBefore + " FLOPs per sample; the last weight layer and non-prunable layers "
          + "keep their size).", "Ask for targetFlopFraction >= " + reachable + ".", reachable);
    }
    factor(st, calibration, 0);
    double[][] diag = new double[st.sites.size()][];
    for (int i = 0; i < st.sites.size(); i++) {
      diag[i] = pivotDiagonal(st.r[i]);
    }
    while (st.net.flops() > target) {
      int best = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      double bestErr = 0;
      int bestK = 0;
      for (int i = 0; i < st.sites.size(); i++) {
        Site site = st.sites.get(i);
        int n = units(st.net, site);
        if (n < 2) {
          continue;
        }
        int k = Math.max(1, (int) Math.floor(options.step() * n));
        double err = diag[i].length > k && diag[i][0] > 0 ? diag[i][k] / diag[i][0] : 0.0;
        double saved = (double) (n - k) / n * (st.net.layerFlops(site.weight()) + st.net.layerFlops(site.next()));
        double score = err / saved;
        if (score < bestScore || best < 0) {
          best = i;
          bestScore = score;
          bestErr = err;
          bestK = k;
        }
      }
      if (best < 0) {
        break; // unreachable: minimumFlops was checked above
      }
      int before = units(st.net, st.sites.get(best));
      applyId(st, best, bestK);
      st.steps.add(new SequentialIdPruningResult.Step(st.sites.get(best).weight(), before, st.kept[best].length, bestErr,
          bestScore, st.net.flops()));
      if (st.net.flops() <= target) {
        break;
      }
      factor(st, calibration, best);
      for (int i = best; i < st.sites.size(); i++) {
        diag[i] = pivotDiagonal(st.r[i]);
      }
    }
  }

  /** FLOPs per sample with every prunable layer at one unit. */
  static double minimumFlops(SequentialNetwork net, List<Site> sites) {
    double[] outScale = new double[net.layers().size()];
    double[] inScale = new double[net.layers().size()];
    Arrays.fill(outScale, 1);
    Arrays.fill(inScale, 1);
    for (Site s : sites) {
      int n = units(net, s);
      outScale[s.weight()] = 1.0 / n;
      inScale[s.next()] = 1.0 / n;
    }
    double total = 0;
    for (int i = 0; i < net.layers().size(); i++) {
      total += net.layerFlops(i) * outScale[i] * inScale[i];
    }
    return total;
  }

  private static int units(SequentialNetwork net, Site s) {
    return switch (net.layers().get(s.weight())) {
      case Dense d -> d.out();
      case Conv2d c -> c.outChannels();
      default -> throw new IllegalStateException();
    };
  }

  private double[] pivotDiagonal(Matrix r) {
    return new PivotedQr(compute, PivotedQrOptions.defaults()).factor(r).rDiagonalAbs();
  }

  /**
   * Streams the calibration set through the current network and stores R for sites
   * {@code from …}.
   */
  private void factor(State st, Iterable<Matrix> calibration, int from) {
    List<Site> todo = st.sites.subList(from, st.sites.size());
    Map<Integer, Integer> byActivation = new HashMap<>();
    StreamingInterpolativeDecomposition[] streams = new StreamingInterpolativeDecomposition[st.sites.size()];
    for (int i = from; i < st.sites.size(); i++) {
      Site s = st.sites.get(i);
      streams[i] = new StreamingInterpolativeDecomposition(compute, InterpolativeDecompositionOptions.ofTolerance(0),
          units(st.net, s), DType.F64);
      byActivation.put(s.activation(), i);
    }
    int last = todo.stream().max(Comparator.comparingInt(Site::activation)).orElseThrow().activation();
    SequentialForward forward = new SequentialForward(compute, st.net);
    long samples = 0;
    Iterator<Matrix> it = calibration.iterator();
    while (it.hasNext()) {
      Matrix batch = Objects.requireNonNull(it.next(), "calibration batch");
      if (batch.rows() == 0) {
        continue;
      }
      long first = samples;
      samples += batch.rows();
      forward.forward(batch, last, (layer, rows, shape) -> {
        Integer i = byActivation.get(layer);
        if (i != null) {
          streams[i].accept(pixelRows(st.net, st.sites.get(i), rows, shape, first));
        }
      });
    }
    if (samples == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "SequentialIdPruning: the calibration set is empty.",
          "Pass calibration samples (at least as many activation rows as the widest prunable layer has units).");
    }
    st.samples = samples;
    for (int i = from; i < st.sites.size(); i++) {
      Site s = st.sites.get(i);
      int n = units(st.net, s);
      long rows = streams[i].rowCount();
      if (rows < n) {
        int sp = s.activationShape().spatial();
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "SequentialIdPruning: " + describe(st.net, s) + " has "
            + n + " units but the calibration set gives only " + rows + " activation rows (" + samples + " samples × "
            + sp + " positions); the ID needs at least " + n + ".",
            "Pass at least " + ((n + sp - 1) / sp) + " calibration samples (more give a better ID; the paper used 1000-5000).");
      }
      st.r[i] = streams[i].triangularFactor();
    }
  }

  /** Z rows of one batch, (N·H·W) × C, checked finite (the error names the layer and sample). */
  private static Matrix pixelRows(SequentialNetwork net, Site site, Matrix rows, SequentialNetwork.Shape shape, long first) {
    int c = shape.channels();
    int sp = shape.spatial();
    int nb = rows.rows();
    Matrix z = Matrix.zeros(DType.F32, nb * sp, c);
    float[] src = rows.f32();
    float[] dst = z.f32();
    for (int b = 0; b < nb; b++) {
      int base = rows.index(b, 0);
      for (int ch = 0; ch < c; ch++) {
        for (int q = 0; q < sp; q++) {
          float v = src[base + ch * sp + q];
          if (!Float.isFinite(v)) {
            throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "SequentialIdPruning: the activations of "
                + describe(net, site) + " hold " + v + " (calibration sample " + (first + b) + ", unit " + ch + ").",
                "Check the calibration inputs and the weights of layers 0.." + site.activation()
                    + " for NaN/Inf or overflow; remove or rescale the offending samples.");
          }
          dst[(b * sp + q) * c + ch] = v;
        }
      }
    }
    return z;
  }

  private static String describe(SequentialNetwork net, Site s) {
    Layer l = net.layers().get(s.weight());
    return "layer " + s.weight() + " (" + l.getClass().getSimpleName() + ", activations after layer " + s.activation()
        + " " + net.layers().get(s.activation()).getClass().getSimpleName() + ")";
  }

  /** Column ID of site i's activations at rank k, then prune and fold into the current network. */
  private void applyId(State st, int i, int k) {
    Matrix r = st.r[i];
    InterpolativeDecompositionResult id = new InterpolativeDecomposition(compute,
        InterpolativeDecompositionOptions.ofRank(k)).columnId(r);
    Matrix resid = id.reconstruct(compute, r);
    double num = 0;
    double den = 0;
    for (int a = 0; a < r.rows(); a++) {
      for (int b = 0; b < r.cols(); b++) {
        double v = r.get(a, b);
        double e = v - resid.get(a, b);
        num += e * e;
        den += v * v;
      }
    }
    st.relErr[i] = den > 0 ? Math.sqrt(num / den) : 0.0;
    double[] full = pivotDiagonal(r);
    st.proxy[i] = full.length > id.rank() && full[0] > 0 ? full[id.rank()] / full[0] : 0.0;
    // kept units in ascending order, with the rows of T in the same order
    int[] skel = id.skeleton();
    Integer[] order = new Integer[skel.length];
    for (int a = 0; a < order.length; a++) {
      order[a] = a;
    }
    Arrays.sort(order, Comparator.comparingInt(a -> skel[a]));
    int[] keep = new int[skel.length];
    Matrix t = id.interpolation();
    Matrix ts = Matrix.zeros(DType.F64, skel.length, t.cols());
    for (int a = 0; a < order.length; a++) {
      keep[a] = skel[order[a]];
      ts.row(a).copyFrom(t.row(order[a]));
    }
    Site site = st.sites.get(i);
    List<Layer> layers = new ArrayList<>(st.net.layers());
    layers.set(site.weight(), keepUnits(layers.get(site.weight()), keep));
    if (site.batchNorm() >= 0) {
      BatchNorm bn = (BatchNorm) layers.get(site.batchNorm());
      layers.set(site.batchNorm(), new BatchNorm(entries(bn.gamma(), keep), entries(bn.beta(), keep),
          entries(bn.runningMean(), keep), entries(bn.runningVar(), keep), bn.eps()));
    }
    layers.set(site.next(), fold(layers.get(site.next()), ts, site.foldSpatial()));
    st.net = new SequentialNetwork(st.net.input(), layers);
    int[] prev = st.kept[i];
    int[] now = new int[keep.length];
    for (int a = 0; a < keep.length; a++) {
      now[a] = prev[keep[a]];
    }
    st.kept[i] = now;
  }

  private static Layer keepUnits(Layer layer, int[] keep) {
    return switch (layer) {
      case Dense d -> new Dense(rows(d.weight(), keep), d.bias() == null ? null : entries(d.bias(), keep));
      case Conv2d c -> new Conv2d(rows(c.weight(), keep), c.bias() == null ? null : entries(c.bias(), keep),
          c.inChannels(), c.kernelH(), c.kernelW(), c.stride(), c.padding());
      default -> throw new IllegalStateException("not a weight layer: " + layer);
    };
  }

  /**
   * The next layer with its input channels contracted with T (k × C): W viewed as
   * {@code out × C × s} becomes {@code out × k × s}, {@code W'[o, j, t] = Σ_c W[o, c, t]·T[j, c]}.
   */
  private Layer fold(Layer next, Matrix t, int s) {
    Matrix w = switch (next) {
      case Dense d -> d.weight();
      case Conv2d c -> c.weight();
      default -> throw new IllegalStateException("not a weight layer: " + next);
    };
    int out = w.rows();
    int c = t.cols();
    int k = t.rows();
    // M (C × out·s): M[c, o·s + q] = W[o, c·s + q]
    Matrix m = Matrix.zeros(DType.F64, c, out * s);
    double[] md = m.f64();
    for (int o = 0; o < out; o++) {
      for (int ch = 0; ch < c; ch++) {
        for (int q = 0; q < s; q++) {
          md[ch * out * s + o * s + q] = w.get(o, ch * s + q);
        }
      }
    }
    Matrix p = Matrix.zeros(DType.F64, k, out * s);
    compute.gemm(Transpose.N, Transpose.N, 1.0, t, m, 0.0, p);
    Matrix nw = Matrix.zeros(DType.F32, out, k * s);
    double[] pd = p.f64();
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < k; j++) {
        for (int q = 0; q < s; q++) {
          nw.set(o, j * s + q, pd[j * out * s + o * s + q]);
        }
      }
    }
    return switch (next) {
      case Dense d -> new Dense(nw, d.bias());
      case Conv2d cv -> new Conv2d(nw, cv.bias(), k, cv.kernelH(), cv.kernelW(), cv.stride(), cv.padding());
      default -> throw new IllegalStateException();
    };
  }

  private static Matrix rows(Matrix w, int[] keep) {
    Matrix out = Matrix.zeros(DType.F32, keep.length, w.cols());
    for (int a = 0; a < keep.length; a++) {
      out.row(a).copyFrom(w.row(keep[a]));
    }
    return out;
  }

  private static Matrix entries(Matrix row, int[] keep) {
    Matrix out = Matrix.zeros(DType.F32, 1, keep.length);
    for (int a = 0; a < keep.length; a++) {
      out.set(0, a, row.get(0, keep[a]));
    }
    return out;
  }
}
