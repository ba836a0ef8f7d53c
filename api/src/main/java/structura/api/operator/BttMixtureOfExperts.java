package structura.api.operator;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * The BTT mixture-of-experts forward pass (Potapczynski et al., NeurIPS 2024, §BTT-MoE; code
 * {@code AndPotap/einsum-search}, {@code nn/cola_nn.py BTTMoELayer} and the gate path of
 * {@code mm/btt_mvm.py}): one block tensor-train whose first rank r_1 = E is the number of
 * experts; rank slice e is expert e. For each input column x_b:
 * <ol>
 *   <li>logits ℓ = R·x_b with the router R (E×d_in, no bias);</li>
 *   <li>the k largest logits are selected (ties: lower index first), their softmax is taken and
 *       1e-6 added, g_e = softmax(ℓ_sel)_e + 1e-6 for selected e and 0 otherwise (the reference
 *       adds the 1e-6 so that its hand-written backward, which divides by the gate, is finite);</li>
 *   <li>y_b = Σ_e g_e·W_e·x_b, computed as one BTT product whose first intermediate is scaled by
 *       the gate ({@link BlockTensorTrainOperator#applyGated}); as in the reference all experts are
 *       computed densely (no expert parallelism).</li>
 * </ol>
 * Cost: one E×d_in GEMM for the router plus the BTT's apply. Not modified: the inputs.
 *
 * @param btt the experts, a BTT with at least two cores and r_1 = E
 * @param router R, E×d_in, same dtype as the BTT
 * @param activeExperts k, the number of experts each input uses (the reference's default is 2)
 */
public record BttMixtureOfExperts(BlockTensorTrainOperator btt, Matrix router, int activeExperts) {
  /** The reference's additive floor on selected gates. */
  public static final double GATE_FLOOR = 1e-6;

  /** Checks that the router has E = r_1 rows and d_in columns and that 1 ≤ k ≤ E. */
  public BttMixtureOfExperts {
    Objects.requireNonNull(btt, "btt");
    Objects.requireNonNull(router, "router");
    int[] ranks = btt.ranks();
    if (ranks.length < 3) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "BttMixtureOfExperts: the BTT has one core, so it has no rank to split into experts.",
          "Use a BTT with at least two cores; r_1 is the number of experts.");
    }
    if (router.rows() != ranks[1] || router.cols() != btt.cols()) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "BttMixtureOfExperts: router is " + router.rows() + "x" + router.cols() + " but the BTT has r_1 = " + ranks[1]
              + " experts and d_in = " + btt.cols() + ".", "Pass an (experts x d_in) router.");
    }
    if (router.dtype() != btt.dtype()) {
      throw new InvalidArgumentException(ErrorCode.DTYPE_MISMATCH,
          "BttMixtureOfExperts: router is " + router.dtype() + " and the BTT " + btt.dtype() + ".", "Use one dtype.");
    }
    if (activeExperts < 1 || activeExperts > ranks[1]) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
          "BttMixtureOfExperts: activeExperts = " + activeExperts + " is outside [1, " + ranks[1] + "].",
          "Pass k between 1 and the number of experts.");
    }
  }

  /**
   * One forward pass.
   *
   * @param output y, d_out×B
   * @param gates g, E×B (zero for experts not selected)
   * @param logits ℓ = R·x, E×B
   */
  public record Result(Matrix output, Matrix gates, Matrix logits) {}

  /** Number of experts E = r_1. */
  public int experts() {
    return router.rows();
  }

  /** The forward pass on the columns of x (d_in×B). */
  public Result forward(Matrix x) {
    Operators.requireInput(btt, x, btt.cols(), "forward");
    Compute compute = btt.compute();
    Matrix logits = compute.multiply(Transpose.N, router, Transpose.N, x);
    Matrix gates = gates(logits, activeExperts);
    return new Result(btt.applyGated(x, gates), gates, logits);
  }

  /** The top-k softmax gates of the columns of {@code logits} (E×B), as described on this class. */
  public static Matrix gates(Matrix logits, int activeExperts) {
    int e = logits.rows();
    Matrix gates = Matrix.zeros(logits.dtype(), e, logits.cols());
    boolean[] taken = new boolean[e];
    int[] chosen = new int[activeExperts];
    for (int b = 0; b < logits.cols(); b++) {
      java.util.Arrays.fill(taken, false);
      for (int s = 0; s < activeExperts; s++) {
        int best = -1;
        for (int i = 0; i < e; i++) {
          if (!taken[i] && (best < 0 || logits.get(i, b) > logits.get(best, b))) {
            best = i;
          }
        }
        taken[best] = true;
        chosen[s] = best;
      }
      double max = logits.get(chosen[0], b);
      double sum = 0;
      for (int s = 0; s < activeExperts; s++) {
        sum += Math.exp(logits.get(chosen[s], b) - max);
      }
      for (int s = 0; s < activeExperts; s++) {
        gates.set(chosen[s], b, Math.exp(logits.get(chosen[s], b) - max) / sum + GATE_FLOOR);
      }
    }
    return gates;
  }

  /**
   * The reference's auxiliary load-balancing loss of one layer:
   * E·Σ_e P̂_e·f̂_e + 0.1·mean_b(logsumexp(ℓ_b)²), where P̂ is the L1-normalised column sum of
   * softmax(ℓ) over the batch and f̂ the L1-normalised count of inputs that selected each expert.
   */
  public static double auxiliaryLoss(Matrix logits, Matrix gates) {
    int e = logits.rows();
    int batch = logits.cols();
    double[] p = new double[e];
    double[] f = new double[e];
    double zLoss = 0;
    for (int b = 0; b < batch; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < e; i++) {
        max = Math.max(max, logits.get(i, b));
      }
      double sum = 0;
      for (int i = 0; i < e; i++) {
        sum += Math.exp(logits.get(i, b) - max);
      }
      for (int i = 0; i < e; i++) {
        p[i] += Math.exp(logits.get(i, b) - max) / sum;
        f[i] += gates.get(i, b) != 0 ? 1 : 0;
      }
      double lse = max + Math.log(sum);
      zLoss += lse * lse;
    }
    double pSum = 0;
    double fSum = 0;
    for (int i = 0; i < e; i++) {
      pSum += p[i];
      fSum += f[i];
    }
    double balance = 0;
    for (int i = 0; i < e; i++) {
      balance += (p[i] / pSum) * (f[i] / fSum);
    }
    return e * balance + 0.1 * (batch == 0 ? 0 : zLoss / batch);
  }
}
