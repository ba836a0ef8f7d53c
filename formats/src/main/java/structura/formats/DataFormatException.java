package structura.formats;

import java.nio.file.Path;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A data file (a text corpus for calibration or evaluation) is missing, empty, malformed, or
 * lacks what the operation needs (code {@code STRUCTURA-F002}). The message names the file and,
 * where one line is to blame, its 1-based number.
 */
public class DataFormatException extends StructuraException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  /**
   * @param file the file being read
   * @param line the 1-based line at fault, or 0 when no single line is
   * @param detail what is wrong
   * @param remedy how to fix it
   * @param cause the underlying exception, or {@code null}
   */
  public DataFormatException(Path file, int line, String detail, String remedy, Throwable cause) {
    super(ErrorCode.DATA_FORMAT, file + (line > 0 ? ", line " + line : "") + ": " + detail, remedy, cause);
    this.file = String.valueOf(file);
    this.line = line;
  }

  /** Convenience without a line or a cause. */
  public DataFormatException(Path file, String detail, String remedy) {
    this(file, 0, detail, remedy, null);
  }

  /** The file. */
  public String file() {
    return file;
  }

  /** The 1-based line at fault, or 0 when the problem is not one line's. */
  public int line() {
    return line;
  }
}
