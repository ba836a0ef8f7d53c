package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.PermutationOperator;
import structura.api.operator.Structure;
import structura.api.operator.TriangularOperator;

class DispatchTableTest {
  private final SplittableRandom rnd = new SplittableRandom(7);

  @Test
  void scanFindsTheOperatorClassesWithoutAHandKeptList() {
    List<Class<? extends LinearOperator>> classes = OperatorClasses.scan();
    for (Class<?> c : List.of(KroneckerOperator.class, KroneckerSumOperator.class, BlockDiagonalOperator.class,
        PermutationOperator.class, TriangularOperator.class, WoodburyInverse.class, TriangularSolveOperator.class)) {
      assertTrue(classes.contains(c), c + " not found by the scan: " + classes);
    }
  }

  @Test
  void standardTableIsUnambiguousOverEveryOperatorClass() {
    List<String> found = DispatchTable.standard().ambiguities(OperatorClasses.scan());
    assertTrue(found.isEmpty(), String.join("\n", found));
  }

  @Test
  void anInjectedRuleOfEqualPrecedenceIsCaught() {
    Rule<LinearOperator> duplicate = new Rule<>(LinalgFunction.INVERSE, "a second Kronecker inverse",
        KroneckerOperator.class, Algorithm.class, Rules.STRUCTURAL, "", c -> true, c -> c.operator());
    List<String> found = DispatchTable.standard().with(duplicate).ambiguities(OperatorClasses.scan());
    assertFalse(found.isEmpty());
    assertTrue(found.stream().allMatch(s -> s.contains("KroneckerOperator")), String.join("\n", found));

    // a rule on a supertype collides with every structural rule of its function
    Rule<LogDeterminant> broad = new Rule<>(LinalgFunction.LOGDET, "catch-all at structural precedence",
        LinearOperator.class, Algorithm.Auto.class, Rules.STRUCTURAL, "", c -> true, c -> LogDeterminant.ONE);
    List<String> broadFound = DispatchTable.standard().with(broad).ambiguities(OperatorClasses.scan());
    assertTrue(broadFound.stream().anyMatch(s -> s.contains("DiagonalOperator")), String.join("\n", broadFound));
    assertTrue(broadFound.stream().anyMatch(s -> s.contains("PermutationOperator")), String.join("\n", broadFound));
  }

  @Test
  void structuredRulesRunOnStructuredOperatorsAndDenseOnesOnOpaqueTwins() {
    LinearOperator a = Operators.denseOnReference(StructuredZoo.spd(DType.F64, 3, rnd));
    LinearOperator b = Operators.denseOnReference(StructuredZoo.spd(DType.F64, 4, rnd));
    LinearOperator k = Operators.kronecker(a, b);
    Algorithm auto = new Algorithm.Auto();
    assertEquals("(A⊗B)⁻¹ = A⁻¹⊗B⁻¹", Linalg.explain(LinalgFunction.INVERSE, k, auto).name());
    assertEquals("det(A⊗B) = det(A)^m·det(B)^n", Linalg.explain(LinalgFunction.LOGDET, k, auto).name());
    assertEquals("eigh(A⊗B) = (λ_i·μ_j, U⊗V)", Linalg.explain(LinalgFunction.EIGH, k, auto).name());
    assertEquals("dense LU", Linalg.explain(LinalgFunction.INVERSE, Operators.opaque(k), auto).name());
    assertEquals("dense Cholesky (PSD)",
        Linalg.explain(LinalgFunction.INVERSE, Operators.tagged(Operators.opaque(k), Structure.PSD), auto).name());
    assertEquals("orthogonal: A⁻¹ = Aᵀ", Linalg.explain(LinalgFunction.INVERSE,
        Operators.tagged(Operators.denseOnReference(StructuredZoo.orthogonal(DType.F64, 3, rnd)), Structure.ORTHOGONAL), auto).name());

    LinearOperator woodbury = Operators.sum(Operators.diagonal(DType.F64, 1, 2, 3),
        Operators.lowRankOnReference(Matrix.of(DType.F64, 3, 1, 1, 2, 3), new double[] {0.5}, Matrix.of(DType.F64, 3, 1, 1, 0, 1)));
    assertTrue(Linalg.explain(LinalgFunction.INVERSE, woodbury, auto).name().startsWith("Woodbury"));
    assertTrue(Linalg.explain(LinalgFunction.LOGDET, woodbury, auto).name().startsWith("determinant lemma"));
    assertTrue(Linalg.inverse(woodbury) instanceof WoodburyInverse);

    // the eigenvectors of A⊗B stay structured: (U⊗V)·P, never a dense 12x12 matrix
    LinearOperator v = Linalg.eigh(k).vectors();
    assertTrue(v.toString().contains("Kron("), v.toString());
    LinearOperator bd = Operators.blockDiagonal(a, b);
    assertTrue(Linalg.eigh(bd).vectors().toString().contains("BlockDiag"), Linalg.eigh(bd).vectors().toString());
    assertTrue(Linalg.inverse(k) instanceof KroneckerOperator);
    assertTrue(Linalg.inverse(bd) instanceof BlockDiagonalOperator);
  }

  @Test
  void documentationTableEqualsTheRuleTable() throws Exception {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "structured.md"));
    String begin = "<!-- dispatch-table:begin -->\n";
    String end = "<!-- dispatch-table:end -->";
    int from = doc.indexOf(begin);
    int to = doc.indexOf(end);
    assertTrue(from >= 0 && to > from, "docs/structured.md lacks the dispatch-table markers");
    assertEquals(DispatchTable.standard().markdown(), doc.substring(from + begin.length(), to),
        "docs/structured.md's dispatch table is stale: regenerate it from DispatchTable.markdown()");
  }
}
