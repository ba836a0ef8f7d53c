package structura.api.operator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompositionRulesTest {
  private static final List<Class<? extends LinearOperator>> CONCRETE = List.of(
      DenseOperator.class, DiagonalOperator.class, IdentityOperator.class, ScaledOperator.class, SumOperator.class,
      ProductOperator.class, TransposedOperator.class, KroneckerOperator.class, BlockDiagonalOperator.class,
      LowRankOperator.class, SelectionOperator.class, ScatterOperator.class, TaggedOperator.class, OpaqueOperator.class,
      MonarchOperator.class, BlockTensorTrainOperator.class, EinsumOperator.class);

  @Test
  void noTwoRulesThatCanMatchOnePairShareAPrecedence() {
    for (Class<?> left : CONCRETE) {
      for (Class<?> right : CONCRETE) {
        List<CompositionRules.ProductRule> matching = CompositionRules.PRODUCT_RULES.stream()
            .filter(r -> r.left().isAssignableFrom(left) && r.right().isAssignableFrom(right)).toList();
        long distinct = matching.stream().mapToInt(CompositionRules.ProductRule::precedence).distinct().count();
        if (distinct != matching.size()) {
          fail("ambiguous rules for " + left.getSimpleName() + " · " + right.getSimpleName() + ": " + matching);
        }
      }
    }
  }

  @Test
  void rulesAreOrderedByPrecedence() {
    List<CompositionRules.ProductRule> rules = CompositionRules.PRODUCT_RULES;
    for (int i = 1; i < rules.size(); i++) {
      assertTrue(rules.get(i - 1).precedence() >= rules.get(i).precedence());
    }
  }
}
