package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CompositionRulesTest {
  /**
   * Every concrete operator class of this module, read from the module's own contents (tests run
   * on the module path), so a new operator is checked the moment it exists: no hand-kept list.
   */
  private static final List<Class<? extends LinearOperator>> CONCRETE = concreteOperatorClasses();

  private static List<Class<? extends LinearOperator>> concreteOperatorClasses() {
    Module api = LinearOperator.class.getModule();
    assertTrue(api.isNamed(), "the api tests run on the module path");
    try (ModuleReader reader = api.getLayer().configuration().findModule(api.getName()).orElseThrow()
        .reference().open(); Stream<String> resources = reader.list()) {
      List<Class<? extends LinearOperator>> out = resources
          .filter(r -> r.endsWith(".class") && !r.endsWith("module-info.class"))
          .map(r -> loadQuietly(r.substring(0, r.length() - ".class".length()).replace('/', '.')))
          .filter(c -> c != null && LinearOperator.class.isAssignableFrom(c) && !c.isInterface()
              && !Modifier.isAbstract(c.getModifiers()))
          .<Class<? extends LinearOperator>>map(c -> c.asSubclass(LinearOperator.class))
          .toList();
      assertTrue(out.contains(KroneckerOperator.class) && out.size() >= 15, "scan found too little: " + out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Class<?> loadQuietly(String name) {
    try {
      return Class.forName(name, false, LinearOperator.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  @Test
  void noTwoRulesThatCanMatchOnePairShareAPrecedence() {
    List<String> found = ambiguities(CompositionRules.PRODUCT_RULES);
    if (!found.isEmpty()) {
      fail("ambiguous rules: " + found);
    }
  }

  @Test
  void theCheckCatchesAnInjectedAmbiguity() {
    List<CompositionRules.ProductRule> rules = new ArrayList<>(CompositionRules.PRODUCT_RULES);
    rules.add(new CompositionRules.ProductRule("a second diag(d)·diag(e)", DiagonalOperator.class, DiagonalOperator.class,
        90, (a, b) -> true, (a, b) -> a));
    assertFalse(ambiguities(rules).isEmpty());
  }

  /** Pairs of concrete classes that two rules of one precedence can both match. */
  private static List<String> ambiguities(List<CompositionRules.ProductRule> rules) {
    List<String> out = new ArrayList<>();
    for (Class<?> left : CONCRETE) {
      for (Class<?> right : CONCRETE) {
        List<CompositionRules.ProductRule> matching = rules.stream()
            .filter(r -> r.left().isAssignableFrom(left) && r.right().isAssignableFrom(right)).toList();
        long distinct = matching.stream().mapToInt(CompositionRules.ProductRule::precedence).distinct().count();
        if (distinct != matching.size()) {
          out.add(left.getSimpleName() + " · " + right.getSimpleName() + ": " + matching);
        }
      }
    }
    return out;
  }

  @Test
  void rulesAreOrderedByPrecedence() {
    List<CompositionRules.ProductRule> rules = CompositionRules.PRODUCT_RULES;
    for (int i = 1; i < rules.size(); i++) {
      assertTrue(rules.get(i - 1).precedence() >= rules.get(i).precedence());
    }
  }
}
