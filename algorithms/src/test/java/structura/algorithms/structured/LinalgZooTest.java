package structura.algorithms.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import structura.api.DType;
import structura.api.Matrix;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.testkit.OperatorZoo;

/**
 * Every facade function on every square operator of the zoo agrees with the same function of the
 * operator's dense matrix computed through EJML ({@link Reference}): relative 1e-10 in F64; in
 * F32 the operator outputs are rounded to float, so 1e-5 scaled by the condition number. The
 * same operator with its structure hidden ({@code Operators.opaque}) gives the same answers
 * through Auto. Rank-deficient zoo entries (a Kronecker product of rectangular factors can be
 * square and singular) are checked only for trace, diagonal and eig.
 */
class LinalgZooTest {
  private static final long SEED = 20261204L;

  @TestFactory
  Stream<DynamicTest> f64() {
    return tests(DType.F64);
  }

  @TestFactory
  Stream<DynamicTest> f32() {
    return tests(DType.F32);
  }

  private Stream<DynamicTest> tests(DType dtype) {
    List<DynamicTest> out = new ArrayList<>();
    for (OperatorZoo.Entry e : StructuredZoo.all(dtype, SEED)) {
      out.add(DynamicTest.dynamicTest(dtype + " " + e.name(), () -> check(dtype, e)));
    }
    return out.stream();
  }

  private static void check(DType dtype, OperatorZoo.Entry e) {
    LinearOperator op = e.operator();
    LinearOperator opaque = Operators.opaque(op);
    Matrix a = e.expected();
    int n = a.rows();
    double cond = Reference.cond(a);
    boolean regular = cond < 1e10;
    double tol = dtype == DType.F64 ? 1e-10 : 1e-5 * Math.max(1, cond);

    double[] diag = Linalg.diagonal(op);
    double trace = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(a.get(i, i), diag[i], tol * (1 + Math.abs(a.get(i, i))), e + ": diagonal " + i);
      trace += a.get(i, i);
    }
    assertEquals(trace, Linalg.trace(op), tol * (1 + Math.abs(trace)) * n, e + ": trace");
    assertEquals(trace, Linalg.trace(opaque), tol * (1 + Math.abs(trace)) * n, e + ": opaque trace");

    double[][] ev = Reference.eigenvalues(a);
    double scale = 1;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.hypot(ev[0][i], ev[1][i]));
    }
    // F32: the operator's own dense form is rounded to float, the reference is formed in double
    double eigTol = (dtype == DType.F64 ? 1e-8 : 1e-4) * scale;
    assertSameSpectrum(e + ": eig", ev, Linalg.eig(op), eigTol);
    assertSameSpectrum(e + ": opaque eig", ev, Linalg.eig(opaque), eigTol);

    if (regular) {
      Matrix b = StructuredZoo.random(dtype, n, 2, new SplittableRandom(SEED));
      Matrix ref = Reference.solve(a, b.toDType(DType.F64));
      assertTrue(Reference.relative(Linalg.solve(op, b), ref) <= tol, e + ": solve, error "
          + Reference.relative(Linalg.solve(op, b), ref));
      assertTrue(Reference.relative(Linalg.solve(opaque, b), ref) <= tol, e + ": opaque solve");
      Matrix inv = Reference.solve(a, StructuredZoo.eye(n));
      assertTrue(Reference.relative(Linalg.inverse(op).toDense(), inv) <= tol, e + ": inverse");

      double det = Reference.det(a);
      for (LinearOperator x : new LinearOperator[] {op, opaque}) {
        LogDeterminant ld = Linalg.logdet(x);
        assertEquals(Math.signum(det), ld.sign(), e + ": logdet sign" + (x == opaque ? " (opaque)" : ""));
        assertEquals(Math.log(Math.abs(det)), ld.logAbs(), tol * (1 + Math.abs(Math.log(Math.abs(det)))),
            e + ": log|det|" + (x == opaque ? " (opaque)" : ""));
      }
    }

    if (Reference.symmetric(a)) {
      checkSymmetric(dtype, e, op, a, tol);
      checkSymmetric(dtype, e, opaque, a, tol);
    }
  }

  private static void checkSymmetric(DType dtype, OperatorZoo.Entry e, LinearOperator op, Matrix a, double tol) {
    int n = a.rows();
    double[] ref = Reference.symmetricEigenvalues(a);
    double max = Math.max(Math.abs(ref[0]), Math.abs(ref[n - 1]));
    Eigendecomposition eigh = Linalg.eigh(op);
    double[] got = eigh.values();
    for (int i = 0; i < n; i++) {
      assertEquals(ref[i], got[i], (dtype == DType.F64 ? 1e-10 : 1e-5) * Math.max(1, max), e + ": eigenvalue " + i);
    }
    Matrix v = eigh.toDense().toDType(DType.F64);
    double vtol = dtype == DType.F64 ? 1e-10 : 1e-5;
    // A·V = V·Λ and VᵀV = I: sign- and degeneracy-invariant checks of the eigenvectors
    Matrix av = StructuredZoo.multiply(a, v);
    Matrix vl = StructuredZoo.multiply(v, StructuredZoo.diag(got));
    assertTrue(Reference.relative(av, vl) <= vtol * Math.max(1, max) / Math.max(1e-300, frob(vl) / Math.sqrt(n)) + vtol,
        e + ": A V = V Λ");
    Matrix vtv = StructuredZoo.multiply(StructuredZoo.transpose(v), v);
    assertTrue(Reference.relative(vtv, StructuredZoo.eye(n)) <= vtol, e + ": VᵀV = I");

    Eigendecomposition top = Linalg.eigh(op, Math.min(2, n), Which.LARGEST);
    assertEquals(ref[n - 1], top.values()[top.values().length - 1], (dtype == DType.F64 ? 1e-10 : 1e-5) * Math.max(1, max),
        e + ": top eigenvalue");
    assertEquals(Math.min(2, n), top.toDense().cols(), e + ": top-k vectors");

    checkFunction(e, op, a, Math::exp, "exp", tol);
    if (ref[0] > 1e-8 * max) {
      checkFunction(e, op, a, Math::sqrt, "sqrt", tol);
      assertTrue(Reference.relative(Linalg.sqrt(op).toDense(), Reference.function(a, Math::sqrt)) <= tol, e + ": sqrt");
      assertTrue(Reference.relative(Linalg.inverseSqrt(op).toDense(), Reference.function(a, x -> 1 / Math.sqrt(x))) <= tol,
          e + ": inverseSqrt");
      checkFunction(e, op, a, Math::log, "log", tol);
    }
  }

  private static void checkFunction(OperatorZoo.Entry e, LinearOperator op, Matrix a, DoubleUnaryOperator f, String name,
      double tol) {
    double err = Reference.relative(Linalg.apply(f, op).toDense(), Reference.function(a, f));
    assertTrue(err <= tol, e + ": " + name + "(A), relative error " + err);
  }

  private static double frob(Matrix m) {
    return Reference.relative(m, Matrix.zeros(DType.F64, m.rows(), m.cols())) == 0 ? 0 : norm(m);
  }

  private static double norm(Matrix m) {
    double s = 0;
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        s += m.get(i, j) * m.get(i, j);
      }
    }
    return Math.sqrt(s);
  }

  /** Greedy matching of the two multisets of complex numbers. */
  private static void assertSameSpectrum(String what, double[][] expected, Eigenvalues actual, double tol) {
    int n = expected[0].length;
    assertEquals(n, actual.size(), what + ": count");
    double[] re = actual.real();
    double[] im = actual.imaginary();
    boolean[] used = new boolean[n];
    for (int i = 0; i < n; i++) {
      int best = -1;
      double dist = Double.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        double d = Math.hypot(expected[0][i] - re[j], expected[1][i] - im[j]);
        if (!used[j] && d < dist) {
          dist = d;
          best = j;
        }
      }
      used[best] = true;
      assertTrue(dist <= tol, what + ": eigenvalue " + expected[0][i] + "+" + expected[1][i] + "i missing (closest at " + dist + ")");
    }
  }
}
