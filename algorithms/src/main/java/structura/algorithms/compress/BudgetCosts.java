package structura.algorithms.compress;

import java.util.Locale;
import structura.api.nn.Attention;
import structura.api.nn.Linear;
import structura.api.nn.Mlp;
import structura.api.nn.TransformerBlock;
import structura.api.nn.TransformerNetwork;

/**
 * The one cost model behind every global {@link Budget}: per block, its cost, the cost of one
 * attention head and the cost of one FFN neuron, counted in block MACs at the calibration's mean
 * length ({@link MacModel}) for a {@link Budget.MacFraction} and in block parameters for a
 * {@link Budget.ParameterFraction}. From these: the total, the target
 * ({@code fraction · total}), the cost of given widths and the smallest reachable cost, and the
 * one unreachable-target check every strategy uses.
 *
 * <p>Cost of block i at widths (h, n): {@code block[i] − (H_i − h)·perHead[i] − (f_i − n)·perNeuron[i]}.
 * Methods that shrink other shapes (ranks, head dimensions) pass their own configuration cost to
 * {@link #requireReachable} and {@link WidthSearch}, with the same total, target and error.
 * Cost of construction: O(blocks).
 */
final class BudgetCosts {
  private final Budget budget;
  private final boolean parameters;
  private final double[] block;
  private final double[] perHead;
  private final double[] perNeuron;
  private final double total;

  private BudgetCosts(TransformerNetwork net, Budget budget, double sequenceLength) {
    this.budget = budget;
    this.parameters = budget instanceof Budget.ParameterFraction;
    MacModel macs = new MacModel(sequenceLength);
    int n = net.depth();
    block = new double[n];
    perHead = new double[n];
    perNeuron = new double[n];
    double t = 0;
    for (int i = 0; i < n; i++) {
      TransformerBlock b = net.blocks().get(i);
      block[i] = parameters ? b.parameterCount() : macs.block(b);
      perHead[i] = parameters ? parametersPerHead(b.attention()) : macs.perHead(b.attention());
      perNeuron[i] = parameters ? parametersPerNeuron(b.mlp()) : macs.perNeuron(b.mlp());
      t += block[i];
    }
    total = t;
  }

  /**
   * The costs of {@code net}'s blocks under a global budget.
   *
   * @param budget a {@link Budget.MacFraction} or {@link Budget.ParameterFraction}
   * @param sequenceLength L of the MAC model, usually {@link CalibrationData#meanLength()}
   */
  static BudgetCosts of(TransformerNetwork net, Budget budget, double sequenceLength) {
    if (budget instanceof Budget.KeepFractions) {
      throw new IllegalArgumentException("per-block keep fractions have no global cost target");
    }
    return new BudgetCosts(net, budget, sequenceLength);
  }

  /** Cost of the unpruned network's blocks. */
  double total() {
    return total;
  }

  /** The budget's cost, {@code fraction · total}. */
  double target() {
    return budget.globalFraction() * total;
  }

  /** Cost removed with one head of block i. */
  double perHead(int i) {
    return perHead[i];
  }

  /** Cost removed with one neuron of block i. */
  double perNeuron(int i) {
    return perNeuron[i];
  }

  /** Cost of block i of {@code net} with {@code heads} heads and {@code neurons} neurons kept. */
  double block(TransformerNetwork net, int i, int heads, int neurons) {
    TransformerBlock b = net.blocks().get(i);
    return block[i] - (b.attention().heads() - heads) * perHead[i] - (b.mlp().width() - neurons) * perNeuron[i];
  }

  /**
   * The smallest reachable cost of width pruning: every block keeps one head, one key/value group
   * of heads under grouped-query attention (or all, when heads are not pruned), and {@link Widths#minNeurons} neurons.
   */
  double minimum(TransformerNetwork net, boolean pruneHeads, int neuronMultiple) {
    double fixed = 0;
    for (int i = 0; i < block.length; i++) {
      TransformerBlock b = net.blocks().get(i);
      fixed += block[i] - b.attention().heads() * perHead[i] - b.mlp().width() * perNeuron[i];
    }
    double minimum = fixed;
    for (int i = 0; i < block.length; i++) {
      TransformerBlock b = net.blocks().get(i);
      minimum += (pruneHeads ? b.attention().heads() / b.attention().kvHeads() : b.attention().heads()) * perHead[i]
          + Widths.minNeurons(b.mlp().width(), neuronMultiple) * perNeuron[i];
    }
    return minimum;
  }

  /**
   * Throws when the smallest reachable cost exceeds the target (beyond a relative 1e-9 of the
   * total, so a budget equal to the minimum passes).
   *
   * @param method the strategy's name
   * @param smallest the smallest cost the method can reach
   * @param why what the smallest configuration is, e.g. "keeping one head per block"
   * @param otherRemedy a second fix besides a larger target, or null
   * @throws UnreachableTargetException carrying {@code smallest / total} as the smallest reachable fraction
   */
  void requireReachable(String method, double smallest, String why, String otherRemedy) {
    requireReachable(budget, method, smallest, total, why, otherRemedy);
  }

  /**
   * The same check for a method that counts its own configurations' cost (head dimensions, say)
   * with its own {@code total}.
   *
   * @throws UnreachableTargetException carrying {@code smallest / total}
   */
  static void requireReachable(Budget budget, String method, double smallest, double total, String why,
      String otherRemedy) {
    if (smallest > budget.globalFraction() * total + 1e-9 * total) {
      double fraction = smallest / total;
      throw new UnreachableTargetException(String.format(Locale.ROOT, "%s cannot reach %.4f of the %s: %s still costs %.4f.",
          method, budget.globalFraction(), budget instanceof Budget.ParameterFraction ? "block parameters" : "block MACs",
          why, fraction),
          String.format(Locale.ROOT, "Use --target %.4f or more%s.", Math.ceil(fraction * 1e4) / 1e4,
              otherRemedy == null ? "" : ", or " + otherRemedy),
          fraction);
    }
  }

  /**
   * Parameters removed with one attention head: its query, key and value rows with their biases
   * and its output-projection columns. The output bias stays whatever heads are kept, so it is not
   * spread over the heads (that would count it as removable and underestimate what is left).
   */
  static double parametersPerHead(Attention a) {
    return (double) (a.parameterCount() - biasCount(a.output())) / a.heads();
  }

  /** Parameters removed with one FFN neuron: its up (and gate) row with bias and its down column; the down bias stays. */
  static double parametersPerNeuron(Mlp m) {
    return (double) (m.parameterCount() - biasCount(m.down())) / m.width();
  }

  private static long biasCount(Linear l) {
    return l.bias() == null ? 0 : l.bias().cols();
  }
}
