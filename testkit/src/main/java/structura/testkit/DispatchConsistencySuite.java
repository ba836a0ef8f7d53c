package structura.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.LowRankOperator;
import structura.api.operator.Operators;
import structura.api.operator.ProductOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.ScatterOperator;
import structura.api.operator.SelectionOperator;
import structura.api.operator.Structure;
import structura.api.operator.SumOperator;

/**
 * Every simplification rule gives the same operator as the same composition with structure
 * hidden ({@link Operators#opaque}), in the style of CoLA's {@code test_inverse.py}; and each
 * rule actually fires (the simplified result has the structured type).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DispatchConsistencySuite {
  /** The compute dense factors use; the reference backend by default. */
  protected Compute compute() {
    return Compute.reference();
  }

  /**
   * One rule case.
   *
   * @param name the rule
   * @param simplified the composition built from structured parts
   * @param generic the same composition with every part opaque
   * @param expectedType the type the rule must produce
   */
  record Case(String name, LinearOperator simplified, LinearOperator generic, Class<?> expectedType) {
    @Override
    public String toString() {
      return name;
    }
  }

  private LinearOperator dense(DType dtype, int r, int c, SplittableRandom rnd) {
    return Operators.dense(OperatorZoo.random(dtype, r, c, rnd), compute());
  }

  private static LinearOperator o(LinearOperator a) {
    return Operators.opaque(a);
  }

  Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (DType dt : DType.values()) {
      SplittableRandom rnd = new SplittableRandom(99);
      LinearOperator a = dense(dt, 4, 3, rnd);
      LinearOperator b = dense(dt, 3, 5, rnd);
      LinearOperator c = dense(dt, 2, 3, rnd);
      LinearOperator d = dense(dt, 5, 2, rnd);
      LinearOperator e = dense(dt, 3, 4, rnd);
      LinearOperator f = dense(dt, 2, 6, rnd);
      LinearOperator diag1 = Operators.diagonal(dt, 1, -2, 3);
      LinearOperator diag2 = Operators.diagonal(dt, 0.5, 4, -1);
      LinearOperator id3 = Operators.identity(dt, 3);
      List<Case> cs = new ArrayList<>();
      cs.add(new Case("I·A = A", Operators.product(Operators.identity(dt, 4), a), Operators.product(o(Operators.identity(dt, 4)), o(a)), a.getClass()));
      cs.add(new Case("A·I = A", Operators.product(a, id3), Operators.product(o(a), o(id3)), a.getClass()));
      cs.add(new Case("diag·diag", Operators.product(diag1, diag2), Operators.product(o(diag1), o(diag2)), DiagonalOperator.class));
      LinearOperator k1 = Operators.kronecker(a, c);   // 8x9
      LinearOperator k2 = Operators.kronecker(e, f);   // 6x24 : a.cols 3 = e.rows 3, c.cols 3 != f.rows 2 -> incompatible
      LinearOperator k3 = Operators.kronecker(b, dense(dt, 3, 2, rnd)); // 9x10: a.cols=3=b.rows, c.cols=3=rows 3
      cs.add(new Case("(A⊗B)(C⊗D) = AC⊗BD", Operators.product(k1, k3), Operators.product(o(k1), o(k3)), KroneckerOperator.class));
      LinearOperator kk = Operators.kronecker(dense(dt, 8, 2, rnd), dense(dt, 1, 3, rnd)); // 8x6 vs k2 6x24: factor inner sizes 2!=3 -> stays a product
      cs.add(new Case("Kronecker shapes incompatible: lazy product", Operators.product(kk, k2), Operators.product(o(kk), o(k2)), ProductOperator.class));
      LinearOperator bd1 = Operators.blockDiagonal(a, diag1);
      LinearOperator bd2 = Operators.blockDiagonal(b, diag2);
      cs.add(new Case("blockDiag·blockDiag", Operators.product(bd1, bd2), Operators.product(o(bd1), o(bd2)), BlockDiagonalOperator.class));
      LinearOperator sa = Operators.scale(2.5, a);
      cs.add(new Case("(αA)·B", Operators.product(sa, b), Operators.product(o(sa), o(b)), ScaledOperator.class));
      LinearOperator sb = Operators.scale(-0.5, b);
      cs.add(new Case("A·(βB)", Operators.product(a, sb), Operators.product(o(a), o(sb)), ScaledOperator.class));
      cs.add(new Case("α(βA)", Operators.scale(3, Operators.scale(-2, a)), Operators.scale(3, o(Operators.scale(-2, a))), ScaledOperator.class));
      cs.add(new Case("α·diag", Operators.scale(3, diag1), Operators.scale(3, o(diag1)), DiagonalOperator.class));
      cs.add(new Case("diag + diag + I", Operators.sum(diag1, diag2, id3), Operators.sum(o(diag1), o(diag2), o(id3)), DiagonalOperator.class));
      cs.add(new Case("(A⊗B)ᵀ = Aᵀ⊗Bᵀ", Operators.transpose(k1), Operators.transpose(o(k1)), KroneckerOperator.class));
      cs.add(new Case("(AB)ᵀ = BᵀAᵀ", Operators.transpose(Operators.product(a, b)), Operators.transpose(o(Operators.product(a, b))), ProductOperator.class));
      cs.add(new Case("(A+B)ᵀ", Operators.transpose(Operators.sum(a, dense(dt, 4, 3, rnd))), null, SumOperator.class));
      LinearOperator lr = Operators.lowRank(OperatorZoo.random(dt, 6, 2, rnd), new double[] {2, 1}, OperatorZoo.random(dt, 4, 2, rnd), compute());
      cs.add(new Case("(UsVᵀ)ᵀ = VsUᵀ", Operators.transpose(lr), Operators.transpose(o(lr)), LowRankOperator.class));
      LinearOperator sel = Operators.selection(dt, new int[] {2, 0, 2}, 4);
      cs.add(new Case("selectionᵀ = scatter", Operators.transpose(sel), Operators.transpose(o(sel)), ScatterOperator.class));
      LinearOperator sca = Operators.scatter(dt, new int[] {1, 3}, 4);
      cs.add(new Case("scatterᵀ = selection", Operators.transpose(sca), Operators.transpose(o(sca)), SelectionOperator.class));
      cs.add(new Case("blockDiagᵀ", Operators.transpose(bd1), Operators.transpose(o(bd1)), BlockDiagonalOperator.class));
      cs.add(new Case("(αA)ᵀ", Operators.transpose(sa), Operators.transpose(o(sa)), ScaledOperator.class));
      for (Case x : cs) {
        LinearOperator generic = x.generic() != null ? x.generic() : Operators.opaque(x.simplified()).transpose().transpose();
        out.add(Arguments.of(dt, new Case(x.name(), x.simplified(), generic, x.expectedType())));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void ruleFiresAndAgreesWithHiddenStructure(DType dtype, Case c) {
    assertInstanceOf(c.expectedType(), c.simplified(), c + ": the rule did not produce " + c.expectedType().getSimpleName());
    assertEquals(c.generic().rows(), c.simplified().rows(), c + " rows");
    assertEquals(c.generic().cols(), c.simplified().cols(), c + " cols");
    SplittableRandom rnd = new SplittableRandom(7);
    Matrix x = OperatorZoo.random(dtype, c.simplified().cols(), 3, rnd);
    OperatorConformanceSuite.assertClose(c + " apply", c.generic().apply(x).toDType(DType.F64), c.simplified().apply(x),
        OperatorConformanceSuite.tolerance(dtype) * 10);
    Matrix y = OperatorZoo.random(dtype, c.simplified().rows(), 2, rnd);
    OperatorConformanceSuite.assertClose(c + " applyTranspose", c.generic().applyTranspose(y).toDType(DType.F64),
        c.simplified().applyTranspose(y), OperatorConformanceSuite.tolerance(dtype) * 10);
  }

  @Test
  void transposeOfTransposeIsTheOriginal() {
    LinearOperator a = dense(DType.F64, 3, 5, new SplittableRandom(1));
    assertSame(a, a.transpose().transpose());
    LinearOperator sym = Operators.tagged(dense(DType.F64, 4, 4, new SplittableRandom(2)), Structure.SYMMETRIC);
    assertSame(sym, sym.transpose());
  }

  @Test
  void constructorsOfEveryRuleAreExercised() {
    Supplier<Long> count = () -> cases().count();
    assertEquals(2L * 19, count.get(), "one case per rule and dtype; update when adding rules");
  }
}
