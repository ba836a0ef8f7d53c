package structura.formats;

import java.nio.file.Path;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * A model file cannot be read or written: truncated, corrupt, or holding something unsupported
 * (code {@code STRUCTURA-F001}). The message always names the file and, where one is to blame,
 * the tensor or graph node.
 */
public class ModelFormatException extends StructuraException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String tensor;

  /**
   * @param file the file (or resource) being read or written
   * @param tensor the tensor, node or field at fault, or {@code null}
   * @param detail what is wrong
   * @param remedy how to fix it
   * @param cause the underlying exception, or {@code null}
   */
  public ModelFormatException(String file, String tensor, String detail, String remedy, Throwable cause) {
    super(ErrorCode.MODEL_FORMAT, file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + detail, remedy, cause);
    this.file = file;
    this.tensor = tensor;
  }

  /** Convenience for a {@link Path}. */
  public ModelFormatException(Path file, String tensor, String detail, String remedy) {
    this(String.valueOf(file), tensor, detail, remedy, null);
  }

  /** The file or resource name. */
  public String file() {
    return file;
  }

  /** The tensor or node at fault, or {@code null}. */
  public String tensor() {
    return tensor;
  }
}
