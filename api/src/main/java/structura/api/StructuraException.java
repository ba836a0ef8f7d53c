package structura.api;

import java.util.Objects;

/**
 * Root of every exception Structura throws on purpose. Unchecked. Carries a stable
 * {@link ErrorCode} and a remedy a person can act on; the message reads
 * {@code "STRUCTURA-XNNN: what happened. Fix: what to do."}.
 */
public class StructuraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String detail;
  private final String remedy;

  /**
   * @param code stable error code
   * @param detail what happened, naming the argument, file or backend concerned
   * @param remedy what the user can do about it; may be empty
   * @param cause underlying cause, kept in the chain; may be null
   */
  public StructuraException(ErrorCode code, String detail, String remedy, Throwable cause) {
    super(format(code, detail, remedy), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.remedy = remedy == null ? "" : remedy;
  }

  /** Same as the four-argument constructor without a cause. */
  public StructuraException(ErrorCode code, String detail, String remedy) {
    this(code, detail, remedy, null);
  }

  private static String format(ErrorCode code, String detail, String remedy) {
    String text = code.code() + ": " + detail;
    return remedy == null || remedy.isBlank() ? text : text + " Fix: " + remedy;
  }

  /** The stable error code. */
  public ErrorCode code() {
    return code;
  }

  /** What happened, without the code and the remedy. */
  public String detail() {
    return detail;
  }

  /** What the user can do; empty when nothing specific applies. */
  public String remedy() {
    return remedy;
  }
}
