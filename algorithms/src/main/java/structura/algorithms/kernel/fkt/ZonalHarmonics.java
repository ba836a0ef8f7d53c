package structura.algorithms.kernel.fkt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import structura.algorithms.linalg.NumericalFailureException;
import structura.algorithms.linalg.PivotedCholesky;
import structura.algorithms.linalg.PivotedCholeskyOptions;
import structura.algorithms.linalg.PivotedCholeskyResult;
import structura.api.DType;
import structura.api.backend.Compute;

/**
 * The angular part of the FKT expansion in dimension d: the zonal polynomials Z_k(t) of the
 * sphere S^(d−1) (Gegenbauer C_k^α with α = d/2 − 1 for d ≥ 3, Chebyshev T_k for d = 2, and
 * 1, t for d = 1), a basis of the degree-k hyperspherical harmonics for every k ≤ p, and the
 * coefficients a[j][k] of t^j = Σ_k a[j][k]·Z_k(t).
 *
 * <p><b>Harmonic basis.</b> The paper's code builds real hyperspherical harmonics as products of
 * Gegenbauer polynomials in the hyperspherical angles. Here the degree-k harmonics are spanned
 * by zonal harmonics {Z_k(·, z_a)} at m_k = dim H_k pivot directions z_a, with
 * m_k = C(k+d−1, k) − C(k+d−3, k−2). Z_k(x·y) is the reproducing kernel of H_k (up to a
 * constant), so the addition theorem reads, exactly,
 * <pre>  Z_k(x̂·ŷ) = Σ_{a,b} Z_k(x̂·z_a) · (G_k⁻¹)_{ab} · Z_k(z_b·ŷ),   (G_k)_{ab} = Z_k(z_a·z_b),</pre>
 * which is the paper's Σ_h Y_k^h(x̂)·Y_k^h(ŷ)/‖Y‖² in another basis of the same space, so the
 * truncated expansion is identical. The directions are chosen by a pivoted Cholesky of G over
 * random (seeded) candidate directions, so G_k is well conditioned; the pivots of the largest
 * degree are reused for the lower degrees when they span them, so one set of directions
 * serves every k. It works in any d with nothing but the three-term recurrence.
 *
 * <p>Cost of {@link #evaluate}: n_dirs·(d + 3p) flops. Immutable after construction.
 */
final class ZonalHarmonics {
  private static final double PIVOT_RELATIVE_TOLERANCE = 1e-8;

  private final int d;
  private final int p;
  private final double alpha;
  private final int[] counts;
  private final double[] directions;
  private final int directionCount;
  private final int[][] pivots;
  private final double[][] gramInverse;
  private final double[][] monomialToZonal;
  /** Z_k = A_k·t·Z_(k−1) − B_k·Z_(k−2), precomputed so the hot loop has no division. */
  private final double[] recurrenceA;
  private final double[] recurrenceB;

  ZonalHarmonics(int d, int p, long seed) {
    this.d = d;
    this.p = p;
    this.alpha = d / 2.0 - 1;
    this.counts = new int[p + 1];
    for (int k = 0; k <= p; k++) {
      counts[k] = harmonicCount(d, k);
    }
    this.monomialToZonal = monomialToZonal();
    this.recurrenceA = new double[p + 1];
    this.recurrenceB = new double[p + 1];
    for (int k = 2; k <= p; k++) {
      recurrenceA[k] = d == 2 ? 2 : 2 * (k + alpha - 1) / k;
      recurrenceB[k] = d == 2 ? 1 : (k + 2 * alpha - 2) / k;
    }
    double[] candidates = candidateDirections(seed);
    int candidateCount = candidates.length / d;
    LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
    int[][] candidatePivots = new int[p + 1][];
    // Highest degree first: its pivots usually span every lower degree too.
    for (int k = p; k >= 0; k--) {
      if (counts[k] == 0) {
        candidatePivots[k] = new int[0];
        continue;
      }
      int[] fromChosen = chosen.isEmpty() ? null : pivotsAmong(k, candidates, toArray(chosen));
      candidatePivots[k] = fromChosen != null ? fromChosen : pivotsAmong(k, candidates, range(candidateCount));
      if (candidatePivots[k] == null) {
        throw new NumericalFailureException(
            "FKT: could not find " + counts[k] + " independent degree-" + k + " zonal harmonics in d = " + d + ".",
            "Lower the expansion order p.");
      }
      for (int c : candidatePivots[k]) {
        chosen.add(c);
      }
    }
    List<Integer> used = new ArrayList<>(chosen);
    this.directionCount = used.size();
    this.directions = new double[directionCount * d];
    for (int a = 0; a < directionCount; a++) {
      System.arraycopy(candidates, used.get(a) * d, directions, a * d, d);
    }
    this.pivots = new int[p + 1][];
    this.gramInverse = new double[p + 1][];
    for (int k = 0; k <= p; k++) {
      int m = candidatePivots[k].length;
      pivots[k] = new int[m];
      for (int a = 0; a < m; a++) {
        pivots[k][a] = used.indexOf(candidatePivots[k][a]);
      }
      DMatrixRMaj g = new DMatrixRMaj(m, m);
      for (int a = 0; a < m; a++) {
        for (int b = 0; b < m; b++) {
          g.set(a, b, zonal(k, dot(directions, pivots[k][a] * d, directions, pivots[k][b] * d)));
        }
      }
      DMatrixRMaj inv = new DMatrixRMaj(m, m);
      if (m > 0 && !CommonOps_DDRM.invert(g, inv)) {
        throw new NumericalFailureException(
            "FKT: the degree-" + k + " zonal Gram matrix in d = " + d + " is singular.", "Lower the expansion order p.");
      }
      gramInverse[k] = inv.data;
    }
  }

  /** Dimension of the degree-k harmonics on S^(d−1): C(k+d−1, k) − C(k+d−3, k−2). */
  static int harmonicCount(int d, int k) {
    if (d == 1) {
      return k <= 1 ? 1 : 0;
    }
    long all = binomial(k + d - 1, k);
    long lower = k >= 2 ? binomial(k + d - 3, k - 2) : 0;
    return Math.toIntExact(all - lower);
  }

  static long binomial(int n, int k) {
    if (k < 0 || k > n) {
      return 0;
    }
    long b = 1;
    for (int i = 1; i <= Math.min(k, n - k); i++) {
      b = b * (n - Math.min(k, n - k) + i) / i;
    }
    return b;
  }

  int dimension() {
    return d;
  }

  int order() {
    return p;
  }

  /** m_k, the number of basis harmonics of degree k. */
  int count(int k) {
    return counts[k];
  }

  /** Number of pivot directions shared by all degrees. */
  int directionCount() {
    return directionCount;
  }

  /** Indices (into the shared directions) of the degree-k pivots. */
  int[] pivots(int k) {
    return pivots[k];
  }

  /** G_k⁻¹, m_k×m_k row-major. */
  double[] gramInverse(int k) {
    return gramInverse[k];
  }

  /** a[j][k] with t^j = Σ_k a[j][k]·Z_k(t) on the sphere (j, k ≤ p). */
  double monomialToZonal(int j, int k) {
    return monomialToZonal[j][k];
  }

  /**
   * Writes Z_k(û·z_a) for every k ≤ p and every shared direction a into
   * {@code out[k·directionCount() + a]}. {@code unit} (at {@code offset}) must have norm 1.
   */
  void evaluate(double[] unit, int offset, double[] out) {
    for (int a = 0; a < directionCount; a++) {
      double t = dot(unit, offset, directions, a * d);
      t = Math.max(-1, Math.min(1, t));
      out[a] = 1;
      if (p == 0) {
        continue;
      }
      out[directionCount + a] = d >= 3 ? 2 * alpha * t : t;
      if (d == 1) {
        for (int k = 2; k <= p; k++) {
          out[k * directionCount + a] = 0;
        }
        continue;
      }
      double zm2 = 1;
      double zm1 = out[directionCount + a];
      for (int k = 2; k <= p; k++) {
        double z = recurrenceA[k] * t * zm1 - recurrenceB[k] * zm2;
        out[k * directionCount + a] = z;
        zm2 = zm1;
        zm1 = z;
      }
    }
  }

  /** Z_k(t) by the three-term recurrence. */
  double zonal(int k, double t) {
    if (k == 0) {
      return 1;
    }
    if (d == 1) {
      return k == 1 ? t : 0;
    }
    double zm2 = 1;
    double zm1 = d >= 3 ? 2 * alpha * t : t;
    for (int j = 2; j <= k; j++) {
      double z = d == 2 ? 2 * t * zm1 - zm2 : (2 * t * (j + alpha - 1) * zm1 - (j + 2 * alpha - 2) * zm2) / j;
      zm2 = zm1;
      zm1 = z;
    }
    return zm1;
  }

  /** Inverts the triangular change of basis between monomials and zonal polynomials. */
  private double[][] monomialToZonal() {
    double[][] a = new double[p + 1][p + 1];
    if (d == 1) {
      // On S^0 = {±1}: t^j is 1 for even j and t for odd j.
      for (int j = 0; j <= p; j++) {
        a[j][j % 2] = 1;
      }
      return a;
    }
    double[][] coefficients = new double[p + 1][p + 1];  // coefficients[k][m] of t^m in Z_k
    coefficients[0][0] = 1;
    if (p >= 1) {
      coefficients[1][1] = d >= 3 ? 2 * alpha : 1;
    }
    for (int k = 2; k <= p; k++) {
      for (int m = 0; m <= k; m++) {
        double shifted = m >= 1 ? coefficients[k - 1][m - 1] : 0;
        coefficients[k][m] = d == 2
            ? 2 * shifted - coefficients[k - 2][m]
            : (2 * (k + alpha - 1) * shifted - (k + 2 * alpha - 2) * coefficients[k - 2][m]) / k;
      }
    }
    for (int j = 0; j <= p; j++) {
      double[] residual = new double[p + 1];
      residual[j] = 1;
      for (int k = j; k >= 0; k--) {
        double c = residual[k] / coefficients[k][k];
        a[j][k] = c;
        for (int m = 0; m <= k; m++) {
          residual[m] -= c * coefficients[k][m];
        }
      }
    }
    return a;
  }

  private double[] candidateDirections(long seed) {
    int needed = 0;
    for (int k = 0; k <= p; k++) {
      needed = Math.max(needed, counts[k]);
    }
    int count = Math.max(3 * needed, 16);
    if (d == 1) {
      return new double[] {1};
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] dirs = new double[count * d];
    for (int c = 0; c < count; c++) {
      double norm = 0;
      for (int t = 0; t < d; t++) {
        double g = rnd.nextGaussian();
        dirs[c * d + t] = g;
        norm += g * g;
      }
      norm = Math.sqrt(norm);
      for (int t = 0; t < d; t++) {
        dirs[c * d + t] /= norm;
      }
    }
    return dirs;
  }

  /**
   * m_k directions among {@code among} (indices into the candidates) whose degree-k Gram matrix
   * is well conditioned, chosen by pivoted Cholesky; null when they do not span H_k.
   */
  private int[] pivotsAmong(int k, double[] candidates, int[] among) {
    int m = counts[k];
    if (among.length < m) {
      return null;
    }
    int n = among.length;
    double[] diagonal = new double[n];
    for (int i = 0; i < n; i++) {
      diagonal[i] = zonal(k, 1.0);
    }
    PivotedCholeskyResult f = new PivotedCholesky(Compute.reference(), PivotedCholeskyOptions.ofRank(m)).factor(n, j -> {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = zonal(k, dot(candidates, among[i] * d, candidates, among[j] * d));
      }
      return col;
    }, diagonal, DType.F64);
    if (f.rank() < m) {
      return null;
    }
    double[] pivotDiagonals = f.pivotDiagonals();
    if (pivotDiagonals[m - 1] < PIVOT_RELATIVE_TOLERANCE * pivotDiagonals[0]) {
      return null;
    }
    int[] chosen = new int[m];
    int[] pv = f.pivots();
    for (int a = 0; a < m; a++) {
      chosen[a] = among[pv[a]];
    }
    return chosen;
  }

  private static int[] toArray(LinkedHashSet<Integer> set) {
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  private double dot(double[] x, int xo, double[] y, int yo) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      s += x[xo + t] * y[yo + t];
    }
    return s;
  }
}
