package structura.api.operator;

/**
 * An operator with its structure hidden: only {@code apply} and {@code applyTranspose} are
 * forwarded, so no simplification rule can see through it. The generic baseline against which
 * structure-exploiting dispatch is checked (CoLA's test strategy).
 */
public final class OpaqueOperator extends ForwardingOperator {
  OpaqueOperator(LinearOperator inner) {
    super(inner);
  }

  @Override
  public String toString() {
    return "Opaque(" + rows() + "x" + cols() + ")";
  }
}
