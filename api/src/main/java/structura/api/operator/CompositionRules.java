package structura.api.operator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.BinaryOperator;

/**
 * The product simplification rules, as an explicit table ordered by precedence (highest first).
 * A rule matches a pair when both operands are instances of its classes and its condition
 * holds; the first match rewrites the pair. No two rules that can match the same pair of
 * operator classes share a precedence (a unit test checks it), so the outcome never depends on
 * table order — the ambiguity CoLA's multiple dispatch ran into (wilson-labs/cola#109).
 */
final class CompositionRules {
  /**
   * One rewrite of {@code left·right}.
   *
   * @param name what it does, for tests and debugging
   * @param left class the left operand must be an instance of
   * @param right class the right operand must be an instance of
   * @param precedence higher is tried first
   * @param condition extra requirement on the operands
   * @param rewrite produces the simplified product
   */
  record ProductRule(String name, Class<? extends LinearOperator> left, Class<? extends LinearOperator> right,
      int precedence, BiPredicate<LinearOperator, LinearOperator> condition,
      BinaryOperator<LinearOperator> rewrite) {

    boolean matches(LinearOperator a, LinearOperator b) {
      return left.isInstance(a) && right.isInstance(b) && condition.test(a, b);
    }
  }

  static final List<ProductRule> PRODUCT_RULES = sorted(List.of(
      new ProductRule("I·A = A", IdentityOperator.class, LinearOperator.class, 100, (a, b) -> true, (a, b) -> b),
      new ProductRule("A·I = A", LinearOperator.class, IdentityOperator.class, 95, (a, b) -> true, (a, b) -> a),
      new ProductRule("diag(d)·diag(e) = diag(d∘e)", DiagonalOperator.class, DiagonalOperator.class, 90,
          (a, b) -> true, CompositionRules::diagonalProduct),
      new ProductRule("(A⊗B)(C⊗D) = AC⊗BD", KroneckerOperator.class, KroneckerOperator.class, 90,
          CompositionRules::kroneckerCompatible, CompositionRules::kroneckerProduct),
      new ProductRule("diag(A_i)·diag(B_i) = diag(A_i·B_i)", BlockDiagonalOperator.class, BlockDiagonalOperator.class, 90,
          CompositionRules::blocksCompatible, CompositionRules::blockProduct),
      new ProductRule("(αA)·B = α(A·B)", ScaledOperator.class, LinearOperator.class, 80,
          (a, b) -> true, (a, b) -> Operators.scale(((ScaledOperator) a).alpha(), Operators.product(((ScaledOperator) a).inner(), b))),
      new ProductRule("A·(βB) = β(A·B)", LinearOperator.class, ScaledOperator.class, 75,
          (a, b) -> true, (a, b) -> Operators.scale(((ScaledOperator) b).alpha(), Operators.product(a, ((ScaledOperator) b).inner())))));

  private CompositionRules() {}

  private static List<ProductRule> sorted(List<ProductRule> rules) {
    List<ProductRule> s = new ArrayList<>(rules);
    s.sort(Comparator.comparingInt(ProductRule::precedence).reversed());
    return List.copyOf(s);
  }

  /** The simplified {@code a·b}, or null when no rule applies. */
  static LinearOperator simplifyProduct(LinearOperator a, LinearOperator b) {
    for (ProductRule r : PRODUCT_RULES) {
      if (r.matches(a, b)) {
        return r.rewrite().apply(a, b);
      }
    }
    return null;
  }

  private static LinearOperator diagonalProduct(LinearOperator a, LinearOperator b) {
    DiagonalOperator d = (DiagonalOperator) a;
    DiagonalOperator e = (DiagonalOperator) b;
    double[] out = new double[d.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.entry(i) * e.entry(i);
    }
    return Operators.diagonal(d.dtype(), out);
  }

  private static boolean kroneckerCompatible(LinearOperator a, LinearOperator b) {
    KroneckerOperator x = (KroneckerOperator) a;
    KroneckerOperator y = (KroneckerOperator) b;
    return x.left().cols() == y.left().rows() && x.right().cols() == y.right().rows();
  }

  private static LinearOperator kroneckerProduct(LinearOperator a, LinearOperator b) {
    KroneckerOperator x = (KroneckerOperator) a;
    KroneckerOperator y = (KroneckerOperator) b;
    return Operators.kronecker(Operators.product(x.left(), y.left()), Operators.product(x.right(), y.right()));
  }

  private static boolean blocksCompatible(LinearOperator a, LinearOperator b) {
    List<LinearOperator> x = ((BlockDiagonalOperator) a).blocks();
    List<LinearOperator> y = ((BlockDiagonalOperator) b).blocks();
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (x.get(i).cols() != y.get(i).rows()) {
        return false;
      }
    }
    return true;
  }

  private static LinearOperator blockProduct(LinearOperator a, LinearOperator b) {
    List<LinearOperator> x = ((BlockDiagonalOperator) a).blocks();
    List<LinearOperator> y = ((BlockDiagonalOperator) b).blocks();
    LinearOperator[] out = new LinearOperator[x.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Operators.product(x.get(i), y.get(i));
    }
    return Operators.blockDiagonal(out);
  }
}
