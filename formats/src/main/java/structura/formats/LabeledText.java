package structura.formats;

import java.util.Objects;

/**
 * One text of a corpus with its class label.
 *
 * @param text the text, never {@code null} (may be empty)
 * @param label the class label (for example {@code "spam"}), or {@code null} for unlabeled text
 */
public record LabeledText(String text, String label) {
  /** Checks that the text is present. */
  public LabeledText {
    Objects.requireNonNull(text, "text");
  }

  /** An unlabeled text. */
  public static LabeledText unlabeled(String text) {
    return new LabeledText(text, null);
  }
}
