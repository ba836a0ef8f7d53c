package structura.formats;

import java.util.List;

/**
 * Texts turned into token ids by one tokenizer, ready to be batched (for example by
 * {@code CalibrationData.of(ids, batchSize, padId)} in {@code structura.algorithms.compress}).
 *
 * @param ids one id sequence per text, special tokens included, each at most the tokenizer's maximum length
 * @param padId the tokenizer's padding id, for right-padding the sequences into batches
 */
public record TokenizedTexts(List<int[]> ids, int padId) {
  /** Copies the list (the arrays are shared, not copied). */
  public TokenizedTexts {
    ids = List.copyOf(ids);
  }
}
