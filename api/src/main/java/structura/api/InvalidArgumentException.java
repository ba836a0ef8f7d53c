package structura.api;

/**
 * An argument is malformed or inconsistent with the others: bad sizes, offsets, leading
 * dimensions, mismatched shapes or element types, forbidden aliasing, out-of-bounds views.
 * The {@link #code()} says which.
 */
public class InvalidArgumentException extends StructuraException {
  private static final long serialVersionUID = 1L;

  /**
   * @param code one of the {@code STRUCTURA-A*} codes
   * @param detail what is wrong, naming the argument
   * @param remedy how to call it correctly
   */
  public InvalidArgumentException(ErrorCode code, String detail, String remedy) {
    super(code, detail, remedy);
  }
}
