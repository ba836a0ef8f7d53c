package structura.algorithms.structured;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.operator.LinearOperator;

/**
 * The structure-to-algorithm table behind {@link Linalg}, as data (the pattern of the API's
 * {@code CompositionRules}): rows of (function, operator class, algorithm class, precedence,
 * condition, implementation). For a request, the matching rule of highest precedence runs;
 * structural rules (100) beat tag rules (50), which beat the dense base rules (below 0), so
 * structure is always tried first. A new operator type joins by adding rows to one of the rule
 * lists ({@code InverseRules}, {@code LogdetRules}, {@code EigenRules}, {@code FunctionRules},
 * {@code TraceRules}); nothing else changes.
 *
 * <p>Unambiguous by construction and by test: {@link #ambiguities} lists every pair of rules
 * of equal precedence that can match the same (function, operator class, algorithm class); the
 * standard table has none over the operator classes actually present (CoLA's plum dispatch ran
 * into exactly this, wilson-labs/cola#109). Immutable and thread-safe.
 */
public final class DispatchTable {
  private static final DispatchTable STANDARD = new DispatchTable(standardRules());

  private final List<Rule<?>> rules;

  /** A table over {@code rules}, tried in decreasing precedence (ties keep list order). */
  public DispatchTable(List<Rule<?>> rules) {
    List<Rule<?>> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt((Rule<?> r) -> r.precedence()).reversed());
    this.rules = List.copyOf(sorted);
  }

  /** The table {@link Linalg} uses. */
  public static DispatchTable standard() {
    return STANDARD;
  }

  private static List<Rule<?>> standardRules() {
    List<Rule<?>> all = new ArrayList<>();
    all.addAll(InverseRules.rules());
    all.addAll(LogdetRules.rules());
    all.addAll(EigenRules.rules());
    all.addAll(FunctionRules.rules());
    all.addAll(TraceRules.rules());
    return all;
  }

  /** Every rule, highest precedence first. */
  public List<Rule<?>> rules() {
    return rules;
  }

  /** A table with {@code extra} added (tests inject rules this way). */
  public DispatchTable with(Rule<?> extra) {
    List<Rule<?>> more = new ArrayList<>(rules);
    more.add(extra);
    return new DispatchTable(more);
  }

  /**
   * The rule that computes {@code function} for {@code call}.
   *
   * @throws InvalidArgumentException {@code STRUCTURA-A001} when no rule applies (an algorithm
   *     that does not compute this function, such as {@code Lu} for eigh)
   */
  @SuppressWarnings("unchecked")
  public <R> Rule<R> select(LinalgFunction<R> function, Call call) {
    for (Rule<?> r : rules) {
      if (r.function() == function && r.matches(call)) {
        return (Rule<R>) r;
      }
    }
    throw new InvalidArgumentException(ErrorCode.INVALID_ARGUMENT,
        "Linalg." + function + ": algorithm " + call.algorithm() + " does not compute " + function + " of "
            + call.operator() + ".",
        "Use Algorithm.Auto, or the algorithm that computes " + function + " (see docs/structured.md).");
  }

  /** Runs the selected rule. */
  public <R> R run(LinalgFunction<R> function, Call call) {
    return select(function, call).implementation().apply(call);
  }

  /**
   * Pairs of rules that share a function and a precedence and can both match some operator class
   * of {@code operatorClasses} under some algorithm class (the permitted records of
   * {@link Algorithm}), ignoring conditions; empty when the table is unambiguous. Each entry
   * reads "rule A / rule B on (function, operator class, algorithm class)".
   */
  public List<String> ambiguities(Collection<Class<? extends LinearOperator>> operatorClasses) {
    List<String> found = new ArrayList<>();
    Class<?>[] algorithms = Algorithm.class.getPermittedSubclasses();
    for (int i = 0; i < rules.size(); i++) {
      for (int j = i + 1; j < rules.size(); j++) {
        Rule<?> a = rules.get(i);
        Rule<?> b = rules.get(j);
        if (a.function() != b.function() || a.precedence() != b.precedence()) {
          continue;
        }
        for (Class<? extends LinearOperator> op : operatorClasses) {
          for (Class<?> alg : algorithms) {
            if (a.coversClasses(op, alg) && b.coversClasses(op, alg)) {
              found.add("'" + a.name() + "' / '" + b.name() + "' on (" + a.function() + ", " + op.getSimpleName() + ", "
                  + alg.getSimpleName() + ") at precedence " + a.precedence());
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * The table as users read it in {@code docs/structured.md}: one Markdown row per rule, grouped
   * by function in {@link LinalgFunction#all()} order, highest precedence first. A test checks
   * that the page holds exactly this text.
   */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| function | operator | algorithm | precedence | condition | rule |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (LinalgFunction<?> f : LinalgFunction.all()) {
      for (Rule<?> r : rules) {
        if (r.function() == f) {
          out.append("| ").append(f.name()).append(" | ").append(r.operator().getSimpleName()).append(" | ")
              .append(r.algorithm() == Algorithm.class ? "any" : r.algorithm().getSimpleName()).append(" | ")
              .append(r.precedence()).append(" | ").append(r.condition().isEmpty() ? "" : r.condition())
              .append(" | ").append(r.name().replace("|", "\\|")).append(" |\n");
        }
      }
    }
    return out.toString();
  }
}
