package structura.api.backend;

import java.util.List;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The backend that was asked for cannot be used: unknown id ({@code STRUCTURA-B001}),
 * unavailable here ({@code STRUCTURA-B002}), missing a routine in strict mode
 * ({@code STRUCTURA-B003}) or failed while opening ({@code STRUCTURA-B004}). The message names
 * the request and where it came from, the reason, the remedy, and every backend found.
 */
public class BackendUnavailableException extends StructuraException {
  private static final long serialVersionUID = 1L;

  private final String requested;
  private final transient List<ProviderReport> found;

  /**
   * @param code one of the {@code STRUCTURA-B*} codes
   * @param requested the backend id asked for
   * @param detail what happened
   * @param remedy what to do
   * @param found every discovered provider, for the message and for tools
   * @param cause underlying exception, or null
   */
  public BackendUnavailableException(ErrorCode code, String requested, String detail, String remedy,
      List<ProviderReport> found, Throwable cause) {
    super(code, detail + " Found: " + describe(found) + ".", remedy, cause);
    this.requested = requested;
    this.found = List.copyOf(found);
  }

  private static String describe(List<ProviderReport> found) {
    if (found.isEmpty()) {
      return "no backends";
    }
    StringBuilder sb = new StringBuilder();
    for (ProviderReport r : found) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(r.brief());
    }
    return sb.toString();
  }

  /** The backend id that was asked for. */
  public String requested() {
    return requested;
  }

  /** Every provider discovered, with its status. */
  public List<ProviderReport> found() {
    return found;
  }
}
