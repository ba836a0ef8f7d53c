package structura.algorithms.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.nn.TokenBatch;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * Tokenized calibration texts, grouped into padded batches. Texts are sorted by length before
 * batching so that each batch pads little: calibration cost is proportional to the padded token
 * count, while statistics only use real tokens.
 *
 * @param batches the batches (each right-padded; padding is excluded from all statistics)
 * @param texts number of texts
 * @param tokens number of real tokens over all texts
 */
public record CalibrationData(List<TokenBatch> batches, int texts, long tokens) {
  /** Copies the batch list. */
  public CalibrationData {
    batches = List.copyOf(batches);
  }

  /**
   * Batches token-id sequences (one per text, already truncated to the model's length).
   *
   * @param sequences token ids per text; none may be empty
   * @param batchSize texts per batch
   * @param padId id used for padding
   * @throws InvalidArgumentException if there are no texts, or a text has no tokens
   */
  public static CalibrationData of(List<int[]> sequences, int batchSize, int padId) {
    if (sequences.isEmpty()) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "the calibration set is empty.",
          "Pass a file with calibration texts (one per line, or JSON lines with a \"text\" field); 128 to 512 texts are typical.");
    }
    if (batchSize <= 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "calibration batch size " + batchSize + ".",
          "Use a positive batch size.");
    }
    List<int[]> sorted = new ArrayList<>(sequences);
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).length == 0) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "calibration text " + i + " has no tokens.",
            "Remove empty texts from the calibration file.");
      }
    }
    sorted.sort(Comparator.comparingInt((int[] s) -> s.length).reversed());
    List<TokenBatch> batches = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < sorted.size(); i += batchSize) {
      int[][] group = sorted.subList(i, Math.min(sorted.size(), i + batchSize)).toArray(int[][]::new);
      batches.add(TokenBatch.pad(group, padId, 0));
      tokens += Arrays.stream(group).mapToLong(s -> s.length).sum();
    }
    return new CalibrationData(batches, sequences.size(), tokens);
  }

  /** Mean number of real tokens per text, the L of the MAC model. */
  public double meanLength() {
    return (double) tokens / texts;
  }

  /**
   * The first batches holding at least {@code maxTexts} texts (all when fewer), for stages that
   * need only a sample. Batches are sorted by length, so this takes texts of every length by
   * striding over the batches rather than taking the longest ones.
   */
  public CalibrationData sample(int maxTexts) {
    if (maxTexts >= texts) {
      return this;
    }
    int want = Math.max(1, (int) Math.ceil((double) maxTexts / texts * batches.size()));
    List<TokenBatch> picked = new ArrayList<>();
    int count = 0;
    long tok = 0;
    double stride = (double) batches.size() / want;
    for (int i = 0; i < want; i++) {
      TokenBatch b = batches.get((int) Math.min(batches.size() - 1, Math.floor(i * stride)));
      picked.add(b);
      count += b.batch();
      for (int s = 0; s < b.batch(); s++) {
        tok += b.validTokens(s);
      }
    }
    return new CalibrationData(picked, count, tok);
  }

  /**
   * Checks that there are at least as many real tokens as the widest activation layer of
   * {@code net} (FFN width or concatenated head outputs): fewer cannot determine the selections.
   *
   * @throws InvalidArgumentException {@code INVALID_INPUT} when there are too few
   */
  public void requireEnoughTokens(TransformerNetwork net) {
    int widest = 0;
    for (TransformerBlock b : net.blocks()) {
      widest = Math.max(widest, Math.max(b.mlp().width(), b.attention().heads() * b.attention().valueDim()));
    }
    if (tokens < widest) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "the calibration set has " + tokens
          + " tokens in " + texts + " texts, fewer than the " + widest
          + " activations per layer it has to determine.",
          "Pass more calibration texts: at least " + widest + " tokens, and preferably 100x that (for example 512 texts).");
    }
  }
}
