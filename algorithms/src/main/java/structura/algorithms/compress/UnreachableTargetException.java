package structura.algorithms.compress;

import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;

/**
 * A compression target the method cannot reach ({@code STRUCTURA-P001}), for example a FLOP
 * budget below the FLOPs left when every prunable layer keeps one unit. The message states the
 * smallest reachable value, and {@link #smallestReachable()} carries it, so callers and tests need
 * not parse the message. It is an {@link InvalidArgumentException}: the fix is a different argument.
 */
public class UnreachableTargetException extends InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  private final double smallestReachable;

  /**
   * @param detail what was asked and what is reachable
   * @param remedy what to ask for instead
   * @param smallestReachable the smallest reachable value of the target (a fraction for FLOP budgets)
   */
  public UnreachableTargetException(String detail, String remedy, double smallestReachable) {
    super(ErrorCode.TARGET_UNREACHABLE, detail, remedy);
    this.smallestReachable = smallestReachable;
  }

  /** The smallest reachable value of the target. */
  public double smallestReachable() {
    return smallestReachable;
  }
}
