package structura.algorithms.eval;

import structura.algorithms.nn.TransformerForward;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.StructuraException;
import structura.api.nn.TokenBatch;

/**
 * Perplexity of a causal language model: {@code exp(mean NLL)} with the mean next-token
 * cross-entropy
 * <pre>
 *   NLL = −(1/N) Σ_{b,t} log softmax(z_{b,t})[x_{b,t+1}]
 * </pre>
 * over the N positions t of sequence b whose token and next token are both real (attention mask 1):
 * position t predicts token t+1, padding predicts and is predicted by nothing, and the first token
 * of a sequence (BOS) is never a target. The log-softmax is taken in F64 ({@code z − max − log Σ
 * exp(z − max)}) from the F32 logits, so the sum does not lose the small probabilities; the total
 * is summed in F64 over all positions (one average over tokens, not an average of per-text means,
 * as HuggingFace's evaluation of a padded batch does).
 *
 * <p>Cost: one forward pass with the LM head per batch ({@link TransformerForward#logits}), plus
 * {@code O(N·V)} for the log-softmax over a vocabulary of V. Memory: one batch's logits,
 * {@code B·L × V} floats. Nothing passed in is modified.
 */
public final class Perplexity {
  private Perplexity() {}

  /**
   * The summed NLL and the number of predicted positions; combine batches with {@link #plus}.
   *
   * @param totalNll Σ of −log p(next token) over the positions, nats
   * @param positions N, the number of predicted positions
   */
  public record Result(double totalNll, long positions) {
    /** The empty sum. */
    public static final Result EMPTY = new Result(0, 0);

    /** The two sums added. */
    public Result plus(Result other) {
      return new Result(totalNll + other.totalNll, positions + other.positions);
    }

    /** Mean next-token cross-entropy in nats, NaN when there are no positions. */
    public double meanNll() {
      return positions == 0 ? Double.NaN : totalNll / positions;
    }

    /** {@code exp(meanNll())}. */
    public double perplexity() {
      return Math.exp(meanNll());
    }
  }

  /**
   * The perplexity of {@code forward}'s network (a decoder with an LM head) on the batches.
   *
   * @throws InvalidArgumentException INVALID_ARGUMENT when the network has no LM head or no
   *     sequence has two real tokens
   * @throws StructuraException NUMERICAL_FAILURE when a logit is not finite
   */
  public static Result of(TransformerForward forward, Iterable<TokenBatch> batches) {
    Result r = Result.EMPTY;
    for (TokenBatch b : batches) {
      r = r.plus(ofLogits(forward.logits(b), b));
    }
    if (r.positions() == 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "no sequence has two real tokens, so no next token is predicted.",
          "Pass texts of at least one token beyond the BOS token.");
    }
    return r;
  }

  /**
   * The summed NLL of one batch from its logits ({@code B·L × V}, row {@code b·L + t}), computed by
   * any implementation of the network (ONNX Runtime, say).
   *
   * @throws InvalidArgumentException DIMENSION_MISMATCH when the logits are not {@code B·L} rows, or a token id ≥ V
   * @throws StructuraException NUMERICAL_FAILURE when a logit on a predicting row is not finite
   */
  public static Result ofLogits(Matrix logits, TokenBatch batch) {
    int len = batch.length();
    int vocab = logits.cols();
    if (logits.rows() != batch.batch() * len) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "logits have " + logits.rows() + " rows for a batch of "
          + batch.batch() + " x " + len + " tokens.", "Pass the logits of this batch, one row per token.");
    }
    int[] ids = batch.inputIds();
    int[] mask = batch.attentionMask();
    double total = 0;
    long n = 0;
    for (int b = 0; b < batch.batch(); b++) {
      for (int t = 0; t + 1 < len; t++) {
        int row = b * len + t;
        if (mask[row] == 0 || mask[row + 1] == 0) {
          continue;
        }
        int target = ids[row + 1];
        if (target < 0 || target >= vocab) {
          throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, "token id " + target + " at sequence " + b
              + ", position " + (t + 1) + " is outside the vocabulary of " + vocab + ".", "Tokenize with the model's tokenizer.");
        }
        total -= logSoftmax(logits, row, target, b, t);
        n++;
      }
    }
    return new Result(total, n);
  }

  /** log softmax(z_row)[target] in F64. */
  private static double logSoftmax(Matrix z, int row, int target, int b, int t) {
    int vocab = z.cols();
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < vocab; j++) {
      double v = z.get(row, j);
      if (!Double.isFinite(v)) {
        throw new StructuraException(ErrorCode.NUMERICAL_FAILURE, "logit " + j + " of sequence " + b + ", position " + t
            + " is " + v + ".", "Check the model's weights for NaN or overflow (structura check).");
      }
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int j = 0; j < vocab; j++) {
      sum += Math.exp(z.get(row, j) - max);
    }
    return z.get(row, target) - max - Math.log(sum);
  }
}
