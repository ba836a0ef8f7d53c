package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.DIAGONAL;
import static structura.algorithms.structured.LinalgFunction.TRACE;

import java.util.Arrays;
import java.util.List;
import structura.api.Matrix;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DenseOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.LowRankOperator;
import structura.api.operator.PermutationOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.SumOperator;
import structura.api.operator.TaggedOperator;
import structura.api.operator.TransposedOperator;
import structura.api.operator.TriangularOperator;

/** The rows for diag(A) and tr(A): closed forms per structure, exact products by identity blocks otherwise. */
final class TraceRules {
  /** Columns of the identity applied at once by the exact base rule (CoLA's {@code Exact(bs=100)}). */
  static final int BLOCK = 64;

  private TraceRules() {}

  static List<Rule<?>> rules() {
    return List.of(
        Rules.structural(DIAGONAL, "diag(I) = 1", IdentityOperator.class, c -> filled(c.n(), 1)),
        Rules.structural(DIAGONAL, "diag(αA) = α·diag(A)", ScaledOperator.class,
            c -> scaled(c.recurse(DIAGONAL, ((ScaledOperator) c.operator()).inner()), ((ScaledOperator) c.operator()).alpha())),
        Rules.structural(DIAGONAL, "diag(diag(d)) = d", DiagonalOperator.class, c -> ((DiagonalOperator) c.operator()).diagonal()),
        Rules.structural(DIAGONAL, "diag(P)_i = [perm_i = i]", PermutationOperator.class, TraceRules::permutationDiagonal),
        Rules.structural(DIAGONAL, "diag(T) = t_ii", TriangularOperator.class, c -> {
          TriangularOperator t = (TriangularOperator) c.operator();
          double[] d = new double[t.rows()];
          Arrays.setAll(d, t::diagonalEntry);
          return d;
        }),
        Rules.structural(DIAGONAL, "diag(Aᵀ) = diag(A)", TransposedOperator.class,
            c -> c.recurse(DIAGONAL, ((TransposedOperator) c.operator()).inner())),
        // a structure tag changes no entry; looking through it keeps a tagged dense operator's diagonal free
        Rules.structural(DIAGONAL, "diag(tagged A) = diag(A)", TaggedOperator.class,
            c -> c.recurse(DIAGONAL, ((TaggedOperator) c.operator()).inner())),
        Rules.structural(DIAGONAL, "diag(A) of a dense matrix: its entries", DenseOperator.class, c -> {
          Matrix m = ((DenseOperator) c.operator()).matrix();
          double[] d = new double[c.n()];
          Arrays.setAll(d, i -> m.get(i, i));
          return d;
        }),
        Rules.structural(DIAGONAL, "diag(A⊗B) = diag(A)⊗diag(B)", KroneckerOperator.class, "square factors",
            c -> ((KroneckerOperator) c.operator()).left().rows() == ((KroneckerOperator) c.operator()).left().cols(),
            c -> outer(c, ((KroneckerOperator) c.operator()).left(), ((KroneckerOperator) c.operator()).right(), false)),
        Rules.structural(DIAGONAL, "diag(A⊕B) = diag(A)⊗1 + 1⊗diag(B)", KroneckerSumOperator.class,
            c -> outer(c, ((KroneckerSumOperator) c.operator()).left(), ((KroneckerSumOperator) c.operator()).right(), true)),
        Rules.structural(DIAGONAL, "diag(diag(A_i)) = concatenated diag(A_i)", BlockDiagonalOperator.class,
            "square blocks", c -> Rules.allSquare(((BlockDiagonalOperator) c.operator()).blocks()), c -> {
              double[] out = new double[c.n()];
              int at = 0;
              for (double[] d : Blocks.each(c, DIAGONAL, ((BlockDiagonalOperator) c.operator()).blocks())) {
                System.arraycopy(d, 0, out, at, d.length);
                at += d.length;
              }
              return out;
            }),
        Rules.structural(DIAGONAL, "diag(ΣA_i) = Σ diag(A_i)", SumOperator.class, c -> {
          double[] out = new double[c.n()];
          for (LinearOperator t : ((SumOperator) c.operator()).terms()) {
            double[] d = c.recurse(DIAGONAL, t);
            for (int i = 0; i < out.length; i++) {
              out[i] += d[i];
            }
          }
          return out;
        }),
        Rules.structural(DIAGONAL, "diag(USVᵀ)_i = Σ_p u_ip·s_p·v_ip", LowRankOperator.class, TraceRules::lowRankDiagonal),
        new Rule<>(DIAGONAL, "exact: A applied to blocks of " + BLOCK + " identity columns", LinearOperator.class,
            Algorithm.class, Rules.DENSE, "", c -> true, TraceRules::exactDiagonal),

        Rules.structural(TRACE, "tr(A⊗B) = tr A·tr B", KroneckerOperator.class, "square factors",
            c -> ((KroneckerOperator) c.operator()).left().rows() == ((KroneckerOperator) c.operator()).left().cols(),
            c -> c.recurse(TRACE, ((KroneckerOperator) c.operator()).left())
                * c.recurse(TRACE, ((KroneckerOperator) c.operator()).right())),
        Rules.structural(TRACE, "tr(A⊕B) = m·tr A + n·tr B", KroneckerSumOperator.class, c -> {
          KroneckerSumOperator k = (KroneckerSumOperator) c.operator();
          return k.right().rows() * c.recurse(TRACE, k.left()) + k.left().rows() * c.recurse(TRACE, k.right());
        }),
        Rules.structural(TRACE, "tr(USVᵀ) = Σ_p s_p·(v_p·u_p) (cyclic)", LowRankOperator.class,
            c -> sum(lowRankDiagonal(c))),
        new Rule<>(TRACE, "tr A = Σ diag(A)", LinearOperator.class, Algorithm.class, Rules.DENSE, "", c -> true,
            c -> sum(c.recurse(DIAGONAL, c.operator()))));
  }

  private static double[] filled(int n, double v) {
    double[] d = new double[n];
    Arrays.fill(d, v);
    return d;
  }

  private static double[] scaled(double[] d, double alpha) {
    for (int i = 0; i < d.length; i++) {
      d[i] *= alpha;
    }
    return d;
  }

  private static double sum(double[] d) {
    double s = 0;
    for (double v : d) {
      s += v;
    }
    return s;
  }

  private static double[] permutationDiagonal(Call c) {
    int[] perm = ((PermutationOperator) c.operator()).indices();
    double[] d = new double[perm.length];
    for (int i = 0; i < perm.length; i++) {
      d[i] = perm[i] == i ? 1 : 0;
    }
    return d;
  }

  private static double[] outer(Call c, LinearOperator a, LinearOperator b, boolean sum) {
    double[] da = c.recurse(DIAGONAL, a);
    double[] db = c.recurse(DIAGONAL, b);
    double[] out = new double[da.length * db.length];
    for (int i = 0; i < da.length; i++) {
      for (int j = 0; j < db.length; j++) {
        out[i * db.length + j] = sum ? da[i] + db[j] : da[i] * db[j];
      }
    }
    return out;
  }

  private static double[] lowRankDiagonal(Call c) {
    LowRankOperator l = (LowRankOperator) c.operator();
    Matrix u = l.u();
    Matrix v = l.v();
    double[] s = l.s();
    double[] d = new double[c.n()];
    for (int i = 0; i < d.length; i++) {
      for (int p = 0; p < s.length; p++) {
        d[i] += u.get(i, p) * s[p] * v.get(i, p);
      }
    }
    return d;
  }

  /** A·[e_j … e_{j+63}], keeping the diagonal of each block: n/64 block applies, O(n·64) memory. */
  private static double[] exactDiagonal(Call c) {
    LinearOperator a = c.operator();
    int n = c.n();
    double[] d = new double[n];
    for (int j = 0; j < n; j += BLOCK) {
      int w = Math.min(BLOCK, n - j);
      Matrix e = Matrix.zeros(a.dtype(), n, w);
      for (int q = 0; q < w; q++) {
        e.set(j + q, q, 1);
      }
      Matrix y = a.apply(e);
      for (int q = 0; q < w; q++) {
        d[j + q] = y.get(j + q, q);
      }
    }
    return d;
  }

}
