package structura.api.operator;

import java.util.EnumSet;
import java.util.Set;
import structura.api.Matrix;

/** An operator with structure declared by the user (as CoLA's annotations); everything else forwards. */
public final class TaggedOperator extends ForwardingOperator {
  private final Set<Structure> declared;

  TaggedOperator(LinearOperator inner, Set<Structure> declared) {
    super(inner);
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    s.addAll(declared);
    if (s.contains(Structure.PSD)) {
      s.add(Structure.SYMMETRIC);
    }
    this.declared = Set.copyOf(s);
  }

  /** The operator being tagged. */
  public LinearOperator inner() {
    return inner;
  }

  @Override
  public Matrix toDense() {
    return inner.toDense();
  }

  @Override
  public Set<Structure> structure() {
    EnumSet<Structure> s = EnumSet.noneOf(Structure.class);
    s.addAll(inner.structure());
    s.addAll(declared);
    return s;
  }

  @Override
  public String toString() {
    return inner + declared.toString();
  }
}
