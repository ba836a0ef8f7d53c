package structura.api.nn;

import java.util.Arrays;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * A padded batch of token sequences: {@code batch × length} row-major int arrays. Padding is
 * marked by {@code attentionMask == 0}; padded keys get no attention weight, padded rows are
 * computed but ignored by pooling and hooks.
 *
 * @param batch number of sequences B
 * @param length padded length L
 * @param inputIds token ids, {@code B·L}
 * @param attentionMask 1 for real tokens, 0 for padding, {@code B·L}
 * @param tokenTypeIds segment ids, {@code B·L} (all 0 for single sentences)
 */
public record TokenBatch(int batch, int length, int[] inputIds, int[] attentionMask, int[] tokenTypeIds) {
  /** Validates that the three arrays hold {@code B·L} entries and the mask is 0/1. */
  public TokenBatch {
    if (batch < 0 || length < 0) {
      throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "batch " + batch + " x length " + length + ".",
          "Pass non-negative sizes.");
    }
    long n = (long) batch * length;
    if (inputIds.length != n || attentionMask.length != n || tokenTypeIds.length != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH,
          "token batch " + batch + "x" + length + " has " + inputIds.length + " ids, " + attentionMask.length
              + " mask entries and " + tokenTypeIds.length + " token types.", "Pass batch*length entries each.");
    }
    for (int v : attentionMask) {
      if (v != 0 && v != 1) {
        throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT, "attention mask holds " + v + ".", "Use 0 and 1 only.");
      }
    }
  }

  /**
   * Right-pads sequences of ids to the longest one (or to {@code minLength} if larger) with id
   * {@code padId}; token types are 0.
   */
  public static TokenBatch pad(int[][] sequences, int padId, int minLength) {
    int len = minLength;
    for (int[] s : sequences) {
      len = Math.max(len, s.length);
    }
    int b = sequences.length;
    int[] ids = new int[b * len];
    int[] mask = new int[b * len];
    Arrays.fill(ids, padId);
    for (int i = 0; i < b; i++) {
      System.arraycopy(sequences[i], 0, ids, i * len, sequences[i].length);
      Arrays.fill(mask, i * len, i * len + sequences[i].length, 1);
    }
    return new TokenBatch(b, len, ids, mask, new int[b * len]);
  }

  /** Number of real (unmasked) tokens of sequence b. */
  public int validTokens(int b) {
    int c = 0;
    for (int t = 0; t < length; t++) {
      c += attentionMask[b * length + t];
    }
    return c;
  }
}
