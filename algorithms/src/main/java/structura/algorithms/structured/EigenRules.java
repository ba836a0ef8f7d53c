package structura.algorithms.structured;

import static structura.algorithms.structured.LinalgFunction.EIG;
import static structura.algorithms.structured.LinalgFunction.EIGH;
import static structura.algorithms.structured.LinalgFunction.EIGH_PARTIAL;

import java.util.List;
import structura.api.operator.BlockDiagonalOperator;
import structura.api.operator.DiagonalOperator;
import structura.api.operator.IdentityOperator;
import structura.api.operator.KroneckerOperator;
import structura.api.operator.KroneckerSumOperator;
import structura.api.operator.LinearOperator;
import structura.api.operator.Operators;
import structura.api.operator.PermutationOperator;
import structura.api.operator.ScaledOperator;
import structura.api.operator.TransposedOperator;
import structura.api.operator.TriangularOperator;

/**
 * The rows for eigh (symmetric: ascending eigenvalues, orthonormal eigenvectors) and eig
 * (general: complex eigenvalues). Kronecker, Kronecker-sum and block-diagonal operators are
 * decomposed through their factors or blocks, which CoLA's paper promises and its code lacks.
 */
final class EigenRules {
  private EigenRules() {}

  static List<Rule<?>> rules() {
    return List.of(
        Rules.structural(EIGH, "eigh(I) = (1, I)", IdentityOperator.class,
            c -> new Eigendecomposition(ones(c.n()), c.operator())),
        Rules.structural(EIGH, "eigh(αA) = (α·λ(A), V(A)), reversed when α < 0", ScaledOperator.class,
            "symmetric A", c -> Symmetry.known(c.operator()), EigenRules::scaledEigh),
        Rules.structural(EIGH, "eigh(diag(d)) = (sorted d, permutation)", DiagonalOperator.class,
            c -> Spectral.sortedWith(((DiagonalOperator) c.operator()).diagonal(),
                Operators.identity(c.operator().dtype(), c.n()), c.operator().dtype())),
        Rules.structural(EIGH, "eigh(Aᵀ) = eigh(A)", TransposedOperator.class, "symmetric A",
            c -> Symmetry.known(c.operator()), c -> c.recurse(EIGH, ((TransposedOperator) c.operator()).inner())),
        Rules.structural(EIGH, "eigh(A⊗B) = (λ_i·μ_j, U⊗V)", KroneckerOperator.class, "symmetric factors",
            c -> Symmetry.known(c.operator()), c -> kronecker(c, false)),
        Rules.structural(EIGH, "eigh(A⊕B) = (λ_i+μ_j, U⊗V)", KroneckerSumOperator.class, "symmetric summands",
            c -> Symmetry.known(c.operator()), c -> kronecker(c, true)),
        Rules.structural(EIGH, "eigh(diag(A_i)) = (∪λ(A_i), diag(V_i)), blocks in parallel",
            BlockDiagonalOperator.class, "square symmetric blocks", c -> Symmetry.known(c.operator()),
            EigenRules::blockEigh),
        new Rule<>(EIGH, "dense symmetric eigensolver", LinearOperator.class, Algorithm.Auto.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.symmetricEigen(c.operator())),
        new Rule<>(EIGH, "dense symmetric eigensolver", LinearOperator.class, Algorithm.Eigh.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.symmetricEigen(c.operator())),

        new Rule<>(EIGH_PARTIAL, "all eigenpairs by the structural eigh rule, then the k wanted", LinearOperator.class,
            Algorithm.class, Rules.STRUCTURAL, "a structural eigh rule applies; algorithm not Lanczos",
            c -> !(c.algorithm() instanceof Algorithm.Lanczos) && structuralEigh(c), EigenRules::selectFromFull),
        new Rule<>(EIGH_PARTIAL, "Lanczos, full re-orthogonalization (n > denseLimit)", LinearOperator.class,
            Algorithm.Auto.class, Rules.ITERATIVE, "n > denseLimit", IterativeRoutes::aboveDenseLimit,
            c -> IterativeRoutes.lanczosEigh(c, ((Algorithm.Auto) c.algorithm()).lanczos())),
        new Rule<>(EIGH_PARTIAL, "Lanczos, full re-orthogonalization", LinearOperator.class, Algorithm.Lanczos.class,
            Rules.DENSE, "", c -> true, c -> IterativeRoutes.lanczosEigh(c, ((Algorithm.Lanczos) c.algorithm()).options())),
        new Rule<>(EIGH_PARTIAL, "all eigenpairs by eigh, then the k wanted", LinearOperator.class, Algorithm.class,
            Rules.DENSE_FALLBACK, "", c -> true, EigenRules::selectFromFull),

        Rules.structural(EIG, "eig(I) = 1", IdentityOperator.class,
            c -> new Eigenvalues(ones(c.n()), new double[c.n()])),
        Rules.structural(EIG, "eig(αA) = α·eig(A)", ScaledOperator.class, EigenRules::scaledEig),
        Rules.structural(EIG, "eig(diag(d)) = d", DiagonalOperator.class,
            c -> DenseRoutes.sorted(((DiagonalOperator) c.operator()).diagonal(), new double[c.n()])),
        Rules.structural(EIG, "eig(P) = roots of unity of each cycle", PermutationOperator.class,
            EigenRules::permutationEig),
        Rules.structural(EIG, "eig(T) = diagonal of T", TriangularOperator.class, EigenRules::triangularEig),
        Rules.structural(EIG, "eig(Aᵀ) = eig(A)", TransposedOperator.class,
            c -> c.recurse(EIG, ((TransposedOperator) c.operator()).inner())),
        Rules.structural(EIG, "eig(A⊗B) = λ_i·μ_j", KroneckerOperator.class, "square factors",
            c -> ((KroneckerOperator) c.operator()).left().rows() == ((KroneckerOperator) c.operator()).left().cols(),
            c -> kroneckerEig(c, false)),
        Rules.structural(EIG, "eig(A⊕B) = λ_i+μ_j", KroneckerSumOperator.class, c -> kroneckerEig(c, true)),
        Rules.structural(EIG, "eig(diag(A_i)) = ∪eig(A_i)", BlockDiagonalOperator.class, "square blocks",
            c -> Rules.allSquare(((BlockDiagonalOperator) c.operator()).blocks()), EigenRules::blockEig),
        new Rule<>(EIG, "symmetric: eig(A) = eigh(A) values", LinearOperator.class, Algorithm.class, Rules.TAG,
            "known symmetric", c -> Symmetry.known(c.operator()), c -> {
              double[] v = Spectral.eigh(c, c.operator()).values();
              return DenseRoutes.sorted(v, new double[v.length]);
            }),
        new Rule<>(EIG, "dense general eigensolver", LinearOperator.class, Algorithm.Auto.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.generalEigenvalues(c.operator())),
        new Rule<>(EIG, "dense general eigensolver", LinearOperator.class, Algorithm.Eig.class, Rules.DENSE,
            "", c -> true, c -> DenseRoutes.generalEigenvalues(c.operator())));
  }

  /** True when the eigh request for the same operator and algorithm starts with a structural rule. */
  private static boolean structuralEigh(Call c) {
    for (Rule<?> r : c.table().rules()) {
      if (r.function() == EIGH && r.matches(c)) {
        return r.precedence() >= Rules.STRUCTURAL;
      }
    }
    return false;
  }

  /** eigh of the whole operator with the same table and algorithm, then the k eigenpairs at the wanted end. */
  private static Eigendecomposition selectFromFull(Call c) {
    Eigendecomposition all = c.table().run(EIGH, new Call(c.operator(), c.algorithm(), null, c.table()));
    int n = c.n();
    int k = c.wanted();
    int[] idx = new int[k];
    java.util.Arrays.setAll(idx, j -> c.which() == Which.SMALLEST ? j : n - k + j);
    double[] v = all.values();
    double[] values = new double[k];
    for (int j = 0; j < k; j++) {
      values[j] = v[idx[j]];
    }
    LinearOperator columns = Operators.scatter(c.operator().dtype(), idx, n);
    return new Eigendecomposition(values, Operators.product(all.vectors(), columns));
  }

  private static double[] ones(int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }

  private static Eigendecomposition scaledEigh(Call c) {
    ScaledOperator s = (ScaledOperator) c.operator();
    Eigendecomposition e = c.recurse(EIGH, s.inner());
    double[] v = e.values();
    for (int i = 0; i < v.length; i++) {
      v[i] *= s.alpha();
    }
    return Spectral.sortedWith(v, e.vectors(), s.dtype());
  }

  private static Eigendecomposition kronecker(Call c, boolean sum) {
    LinearOperator a = sum ? ((KroneckerSumOperator) c.operator()).left() : ((KroneckerOperator) c.operator()).left();
    LinearOperator b = sum ? ((KroneckerSumOperator) c.operator()).right() : ((KroneckerOperator) c.operator()).right();
    Eigendecomposition ea = c.recurse(EIGH, a);
    Eigendecomposition eb = c.recurse(EIGH, b);
    double[] la = ea.values();
    double[] lb = eb.values();
    double[] v = new double[la.length * lb.length];
    for (int i = 0; i < la.length; i++) {
      for (int j = 0; j < lb.length; j++) {
        v[i * lb.length + j] = sum ? la[i] + lb[j] : la[i] * lb[j];
      }
    }
    return Spectral.sortedWith(v, Operators.kronecker(ea.vectors(), eb.vectors()), c.operator().dtype());
  }

  private static Eigendecomposition blockEigh(Call c) {
    List<LinearOperator> blocks = ((BlockDiagonalOperator) c.operator()).blocks();
    List<Eigendecomposition> parts = Blocks.each(c, EIGH, blocks);
    double[] v = new double[c.n()];
    LinearOperator[] vectors = new LinearOperator[parts.size()];
    int at = 0;
    for (int b = 0; b < parts.size(); b++) {
      double[] l = parts.get(b).values();
      System.arraycopy(l, 0, v, at, l.length);
      at += l.length;
      vectors[b] = parts.get(b).vectors();
    }
    return Spectral.sortedWith(v, Operators.blockDiagonal(vectors), c.operator().dtype());
  }

  private static Eigenvalues scaledEig(Call c) {
    ScaledOperator s = (ScaledOperator) c.operator();
    Eigenvalues e = c.recurse(EIG, s.inner());
    double[] re = e.real();
    double[] im = e.imaginary();
    for (int i = 0; i < re.length; i++) {
      re[i] *= s.alpha();
      im[i] *= s.alpha();
    }
    return DenseRoutes.sorted(re, im);
  }

  /** A cycle of length L contributes the L-th roots of unity e^{2πik/L}. */
  private static Eigenvalues permutationEig(Call c) {
    int[] perm = ((PermutationOperator) c.operator()).indices();
    boolean[] seen = new boolean[perm.length];
    double[] re = new double[perm.length];
    double[] im = new double[perm.length];
    int at = 0;
    for (int i = 0; i < perm.length; i++) {
      int length = 0;
      for (int j = i; !seen[j]; j = perm[j]) {
        seen[j] = true;
        length++;
      }
      for (int k = 0; k < length; k++) {
        re[at] = Math.cos(2 * Math.PI * k / length);
        im[at] = Math.sin(2 * Math.PI * k / length);
        at++;
      }
    }
    return DenseRoutes.sorted(re, im);
  }

  private static Eigenvalues triangularEig(Call c) {
    TriangularOperator t = (TriangularOperator) c.operator();
    double[] d = new double[t.rows()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.diagonalEntry(i);
    }
    return DenseRoutes.sorted(d, new double[d.length]);
  }

  /** (a+ib)(c+id) for products, (a+ib)+(c+id) for sums, over all pairs. */
  private static Eigenvalues kroneckerEig(Call c, boolean sum) {
    LinearOperator a = sum ? ((KroneckerSumOperator) c.operator()).left() : ((KroneckerOperator) c.operator()).left();
    LinearOperator b = sum ? ((KroneckerSumOperator) c.operator()).right() : ((KroneckerOperator) c.operator()).right();
    Eigenvalues ea = c.recurse(EIG, a);
    Eigenvalues eb = c.recurse(EIG, b);
    double[] ar = ea.real();
    double[] ai = ea.imaginary();
    double[] br = eb.real();
    double[] bi = eb.imaginary();
    int m = br.length;
    double[] re = new double[ar.length * m];
    double[] im = new double[ar.length * m];
    for (int i = 0; i < ar.length; i++) {
      for (int j = 0; j < m; j++) {
        re[i * m + j] = sum ? ar[i] + br[j] : ar[i] * br[j] - ai[i] * bi[j];
        im[i * m + j] = sum ? ai[i] + bi[j] : ar[i] * bi[j] + ai[i] * br[j];
      }
    }
    return DenseRoutes.sorted(re, im);
  }

  private static Eigenvalues blockEig(Call c) {
    List<Eigenvalues> parts = Blocks.each(c, EIG, ((BlockDiagonalOperator) c.operator()).blocks());
    double[] re = new double[c.n()];
    double[] im = new double[c.n()];
    int at = 0;
    for (Eigenvalues e : parts) {
      System.arraycopy(e.real(), 0, re, at, e.size());
      System.arraycopy(e.imaginary(), 0, im, at, e.size());
      at += e.size();
    }
    return DenseRoutes.sorted(re, im);
  }
}
