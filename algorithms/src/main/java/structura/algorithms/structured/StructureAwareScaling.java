package structura.algorithms.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.operator.EinsumDims;

/**
 * Structure-aware µP initialisation and learning-rate scaling of structured layers, from
 * "Compute Better Spent" (Qiu, Potapczynski, Finzi, Goldblum, Wilson, ICML 2024; code
 * {@code shikaiqiu/compute-better-spent}, {@code nn/cola_nn.py cola_init}, {@code CoLALayer},
 * {@code append_lr_mults_to_params}) and its Einsum follow-up ({@code AndPotap/einsum-search},
 * {@code compute_lr_mult}, init "bmm0").
 *
 * <p>Every core is treated as a dense map of its own fan-in and fan-out (per block): for BTT core t
 * (layout of {@code BlockTensorTrainOperator}) fan-in m_t·r_{t-1} and fan-out n_t·r_t; for the Einsum
 * cores A: (dα, dδ·dφ·dρ) and B: (dβ·dγ·dρ, dε), as the reference's "bmm0" rule. Then:
 * <ul>
 *   <li>init std σ = sqrt(1/fanIn)·min(1, sqrt(fanOut/fanIn)) = sqrt(min(fanIn, fanOut))/fanIn,
 *       Gaussian, so that the spectral norm scales as sqrt(fanOut/fanIn); the last core of a
 *       zero-initialised layer (the last linear layer of a residual block, the head) is 0;</li>
 *   <li>the "btt_norm" cap rms_max = sqrt(min(fanIn, fanOut))/fanIn (each core is rescaled on the
 *       fly to γ·W/max(1, rms(W)/rms_max)) — the same number as the init std;</li>
 *   <li>Adam learning-rate multipliers: dense µP gives d_in,base/d_in; a structured core gets
 *       (d_in/fanIn_core)/numCores times the dense multiplier of its layer. SGD: dense
 *       (d_out/d_in)/(d_out,base/d_in,base); a core ((fanOut/fanIn)/(d_out/d_in))/numCores times
 *       that. Vectors, scalars and biases: 1;</li>
 *   <li>BTT mixture of experts: init and learning rate are computed as if rank 1 per expert, i.e.
 *       the first core's fan-out and the second core's fan-in are divided by the number of experts.</li>
 * </ul>
 */
public final class StructureAwareScaling {
  /** The optimiser the learning-rate multipliers are for. */
  public enum Optimizer {
    /** Adam / AdamW. */
    ADAM,
    /** Plain or momentum SGD. */
    SGD
  }

  /**
   * The scaling of one core.
   *
   * @param fanIn the core's input width (per block)
   * @param fanOut the core's output width (per block)
   * @param initStd the Gaussian init standard deviation (0 when zero-initialised)
   * @param rmsMax the rms cap of the normalised variant
   * @param lrMultiplier the factor on the base learning rate
   */
  public record CoreScaling(int fanIn, int fanOut, double initStd, double rmsMax, double lrMultiplier) {}

  private StructureAwareScaling() {}

  /** σ = sqrt(1/fanIn)·min(1, sqrt(fanOut/fanIn)). */
  public static double initStd(int fanIn, int fanOut) {
    positive("fanIn", fanIn);
    positive("fanOut", fanOut);
    return Math.sqrt(1.0 / fanIn) * Math.min(1.0, Math.sqrt((double) fanOut / fanIn));
  }

  /** rms_max = sqrt(min(fanIn, fanOut))/fanIn, the cap of the normalised ("btt_norm") cores. */
  public static double rmsMax(int fanIn, int fanOut) {
    positive("fanIn", fanIn);
    positive("fanOut", fanOut);
    return Math.sqrt(Math.min(fanIn, fanOut)) / fanIn;
  }

  /** The dense µP multiplier of a d_out×d_in matrix relative to a base width: Adam d_in,base/d_in; SGD (d_out/d_in)/(d_out,base/d_in,base). */
  public static double denseLrMultiplier(Optimizer optimizer, int dInBase, int dOutBase, int dIn, int dOut) {
    positive("dInBase", dInBase);
    positive("dOutBase", dOutBase);
    positive("dIn", dIn);
    positive("dOut", dOut);
    return optimizer == Optimizer.ADAM
        ? (double) dInBase / dIn
        : ((double) dOut / dIn) / ((double) dOutBase / dInBase);
  }

  /** A core's multiplier: Adam (d_in/fanIn)/numCores, SGD ((fanOut/fanIn)/(d_out/d_in))/numCores, times the layer's dense multiplier. */
  public static double coreLrMultiplier(Optimizer optimizer, int dIn, int dOut, int fanIn, int fanOut, int numCores,
      double denseMultiplier) {
    positive("fanIn", fanIn);
    positive("fanOut", fanOut);
    positive("numCores", numCores);
    double ratio = optimizer == Optimizer.ADAM
        ? (double) dIn / fanIn
        : ((double) fanOut / fanIn) / ((double) dOut / dIn);
    return ratio / numCores * denseMultiplier;
  }

  /**
   * Per-core scaling of a BTT layer with input dimensions m, output dimensions n and ranks r,
   * in a network whose base width gives the dense multiplier; {@code experts} ≥ 1 divides the
   * first core's fan-out and the second core's fan-in (1 for a plain BTT); {@code zeroInitLast}
   * sets the last core's init std to 0.
   */
  public static List<CoreScaling> blockTensorTrain(int[] inDims, int[] outDims, int[] ranks, int experts,
      Optimizer optimizer, int dInBase, int dOutBase, boolean zeroInitLast) {
    int c = inDims.length;
    if (c == 0 || outDims.length != c || ranks.length != c + 1 || experts < 1 || (experts > 1 && c < 2)) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "StructureAwareScaling.blockTensorTrain: " + c + " input dimensions, " + outDims.length + " output dimensions, "
              + ranks.length + " ranks and " + experts + " experts.",
          "Pass c >= 1 dimensions on each side, c + 1 ranks, and experts >= 1 (experts > 1 needs two cores or more).");
    }
    int dIn = 1;
    int dOut = 1;
    for (int t = 0; t < c; t++) {
      dIn *= inDims[t];
      dOut *= outDims[t];
    }
    double dense = denseLrMultiplier(optimizer, dInBase, dOutBase, dIn, dOut);
    List<CoreScaling> out = new ArrayList<>();
    for (int t = 0; t < c; t++) {
      int fanIn = inDims[t] * ranks[t] / (t == 1 ? experts : 1);
      int fanOut = outDims[t] * ranks[t + 1] / (t == 0 ? experts : 1);
      out.add(core(optimizer, dIn, dOut, fanIn, fanOut, c, dense, zeroInitLast && t == c - 1));
    }
    return out;
  }

  /** Per-core scaling of an Einsum layer (cores A then B) by the reference's "bmm0" fan-in/fan-out rule. */
  public static List<CoreScaling> einsum(EinsumDims dims, Optimizer optimizer, int dInBase, int dOutBase,
      boolean zeroInitLast) {
    double dense = denseLrMultiplier(optimizer, dInBase, dOutBase, dims.in(), dims.out());
    int aIn = dims.alpha();
    int aOut = dims.delta() * dims.phi() * dims.rho();
    int bIn = dims.beta() * dims.gamma() * dims.rho();
    int bOut = dims.epsilon();
    return List.of(core(optimizer, dims.in(), dims.out(), aIn, aOut, 2, dense, false),
        core(optimizer, dims.in(), dims.out(), bIn, bOut, 2, dense, zeroInitLast));
  }

  private static CoreScaling core(Optimizer optimizer, int dIn, int dOut, int fanIn, int fanOut, int cores,
      double dense, boolean zero) {
    return new CoreScaling(fanIn, fanOut, zero ? 0 : initStd(fanIn, fanOut), rmsMax(fanIn, fanOut),
        coreLrMultiplier(optimizer, dIn, dOut, fanIn, fanOut, cores, dense));
  }

  /**
   * Gaussian cores for a BTT (stacked as {@code BlockTensorTrainOperator} stores them) with each
   * core's init std from {@code scaling}, drawn from {@code seed}.
   */
  public static List<Matrix> initialBlockTensorTrainCores(DType dtype, int[] inDims, int[] outDims, int[] ranks,
      List<CoreScaling> scaling, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Matrix> cores = new ArrayList<>();
    int c = inDims.length;
    for (int t = 0; t < c; t++) {
      long blocks = 1;
      for (int s = t + 1; s < c; s++) {
        blocks *= inDims[s];
      }
      for (int s = 0; s < t; s++) {
        blocks *= outDims[s];
      }
      Matrix g = Matrix.zeros(dtype, Math.toIntExact(blocks * ranks[t + 1] * outDims[t]), inDims[t] * ranks[t]);
      double std = scaling.get(t).initStd();
      for (int i = 0; i < g.rows(); i++) {
        for (int j = 0; j < g.cols(); j++) {
          g.set(i, j, std == 0 ? 0 : std * rnd.nextGaussian());
        }
      }
      cores.add(g);
    }
    return cores;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "StructureAwareScaling: " + name + " = " + value + " must be positive.", "Pass widths >= 1.");
    }
  }
}
