package structura.algorithms.kernel.fkt;

import structura.api.backend.RadialKernel;

/**
 * The FKT far-field expansion of a radial kernel about a node center (Ryan et al. 2022; the
 * repository's notes, linalg.md §2.3). For a target x and a source x′ relative to the center,
 * r = ‖x‖, r′ = ‖x′‖, ε = r′/r, t = x̂·x̂′ and g(s) = κ(√s):
 * <pre>
 *   κ(‖x − x′‖) = g(r²·(1 − 2εt + ε²)) = Σ_n g_n(r²)·r^(2n)·(ε² − 2εt)ⁿ
 *              ≈ Σ_{i=0}^{p} Σ_{k ≤ i, k ≡ i (2)} c_{i,k}(r)·ε^i·Z_k(t),
 *   c_{i,k}(r) = Σ_{n=⌈i/2⌉}^{i} g_n(r²)·r^(2n)·C(n, 2n−i)·(−2)^(2n−i)·a[2n−i][k],
 * </pre>
 * with g_n the Taylor coefficients of g ({@link RadialTaylor}), Z_k the zonal (Gegenbauer)
 * polynomials and a the monomial-to-zonal coefficients ({@link ZonalHarmonics}). Grouping by the
 * power i of ε makes the truncation at i ≤ p exactly the degree-p Taylor polynomial of the kernel
 * in the source position, so the error is O((r′/r)^(p+1)) and falls geometrically in p at a
 * fixed separation. The addition theorem then splits Z_k(t) into target and source harmonics:
 * <pre>
 *   source features  s_{(i,k),b}(x′) = r′^i · Z_k(z_b·x̂′)                 (the paper's s2o rows)
 *   target features  o_{(i,k),a}(x)  = c_{i,k}(r)·r^(−i) · Z_k(x̂·z_a)      (the paper's o2i rows)
 *   κ(‖x − x′‖) ≈ Σ_{(i,k)} Σ_{a,b} o_{(i,k),a}(x) · (G_k⁻¹)_{ab} · s_{(i,k),b}(x′).
 * </pre>
 * The number of features is M = Σ_k m_k·(⌊(p−k)/2⌋ + 1) = C(p+d, d), as in the paper.
 *
 * <p>Costs per point: source features n_dirs·(d + 3p) + M flops; target features that plus
 * about p³/4 for the radial coefficients (p² more for the exponential/Matérn series).
 * Immutable; scratch space is per caller ({@link Workspace}).
 */
final class FarFieldExpansion {
  private final ZonalHarmonics harmonics;
  private final RadialKernel kernel;
  private final int d;
  private final int p;
  private final int size;
  /** Per block (i, k): i, k, offset into the feature vector. */
  private final int[] blockI;
  private final int[] blockK;
  private final int[] blockOffset;
  /** Per block: the terms n of c_{i,k}·r^(−i) = Σ g_n·r^(2n−i)·coefficient. */
  private final int[][] termN;
  private final double[][] termCoefficient;

  FarFieldExpansion(RadialKernel kernel, int d, int p, long seed) {
    this.kernel = kernel;
    this.d = d;
    this.p = p;
    this.harmonics = new ZonalHarmonics(d, p, seed);
    int blocks = 0;
    for (int i = 0; i <= p; i++) {
      for (int k = i % 2; k <= i; k += 2) {
        blocks++;
      }
    }
    blockI = new int[blocks];
    blockK = new int[blocks];
    blockOffset = new int[blocks + 1];
    termN = new int[blocks][];
    termCoefficient = new double[blocks][];
    int b = 0;
    int offset = 0;
    for (int i = 0; i <= p; i++) {
      for (int k = i % 2; k <= i; k += 2) {
        blockI[b] = i;
        blockK[b] = k;
        blockOffset[b] = offset;
        offset += harmonics.count(k);
        int first = (i + 1) / 2;
        int[] ns = new int[i - first + 1];
        double[] cs = new double[ns.length];
        for (int n = first; n <= i; n++) {
          int j = 2 * n - i;
          ns[n - first] = n;
          cs[n - first] = ZonalHarmonics.binomial(n, j) * Math.pow(-2, j) * harmonics.monomialToZonal(j, k);
        }
        termN[b] = ns;
        termCoefficient[b] = cs;
        b++;
      }
    }
    blockOffset[blocks] = offset;
    this.size = offset;
  }

  /** The number of features M = C(p+d, d). */
  int size() {
    return size;
  }

  int order() {
    return p;
  }

  /**
   * Estimated flops to evaluate one point's target features and dot them with one column of
   * weights: the zonal harmonics, n_dirs·(d + 3p), the radial coefficients, about p³/4, and the
   * M-term dot product.
   */
  double featureFlops() {
    return harmonics.directionCount() * (d + 3.0 * p) + p * p * p / 4.0 + size;
  }

  /** Per-thread scratch arrays. */
  final class Workspace {
    final double[] unit = new double[d];
    final double[] zonal = new double[(p + 1) * harmonics.directionCount()];
    final double[] radial = new double[p + 1];
    final double[] radialScratch = new double[3 * (p + 1)];
    final double[] powers = new double[p + 1];
    final double[] features = new double[size];
  }

  Workspace workspace() {
    return new Workspace();
  }

  /**
   * Source features s(x′) of the point {@code points[offset..offset+d)} about {@code center}
   * into {@code w.features}.
   */
  void sourceFeatures(double[] points, int offset, double[] center, int centerOffset, Workspace w) {
    double r = relativeUnit(points, offset, center, centerOffset, w.unit);
    harmonics.evaluate(w.unit, 0, w.zonal);
    int directions = harmonics.directionCount();
    // r^i by products, not Math.pow per block: S2M evaluates this for every point at every level
    w.powers[0] = 1;
    for (int m = 1; m <= p; m++) {
      w.powers[m] = w.powers[m - 1] * r;
    }
    for (int b = 0; b < blockI.length; b++) {
      double power = w.powers[blockI[b]];
      int k = blockK[b];
      int[] piv = harmonics.pivots(k);
      int o = blockOffset[b];
      int zo = k * directions;
      for (int a = 0; a < piv.length; a++) {
        w.features[o + a] = power * w.zonal[zo + piv[a]];
      }
    }
  }

  /**
   * Target features o(x) of the point {@code points[offset..offset+d)} about {@code center}
   * into {@code w.features}. The point must be well separated (r &gt; 0).
   */
  void targetFeatures(double[] points, int offset, double[] center, int centerOffset, Workspace w) {
    double r = relativeUnit(points, offset, center, centerOffset, w.unit);
    harmonics.evaluate(w.unit, 0, w.zonal);
    RadialTaylor.coefficients(kernel, r * r, p, w.radial, w.radialScratch);
    w.powers[0] = 1;
    for (int m = 1; m <= p; m++) {
      w.powers[m] = w.powers[m - 1] * r;
    }
    int directions = harmonics.directionCount();
    for (int b = 0; b < blockI.length; b++) {
      int i = blockI[b];
      int[] ns = termN[b];
      double[] cs = termCoefficient[b];
      double c = 0;
      for (int t = 0; t < ns.length; t++) {
        c += w.radial[ns[t]] * w.powers[2 * ns[t] - i] * cs[t];
      }
      int k = blockK[b];
      int[] piv = harmonics.pivots(k);
      int o = blockOffset[b];
      int zo = k * directions;
      for (int a = 0; a < piv.length; a++) {
        w.features[o + a] = c * w.zonal[zo + piv[a]];
      }
    }
  }

  /**
   * Turns accumulated source moments q (M×cols, row-major, Σ_j s(x′_j)·v_jᵀ) into the weights
   * G⁻¹·q that target features are dotted with, in place; {@code tmp} has at least M·cols.
   */
  void toWeights(double[] moments, int cols, double[] tmp) {
    System.arraycopy(moments, 0, tmp, 0, size * cols);
    for (int b = 0; b < blockI.length; b++) {
      int k = blockK[b];
      int m = harmonics.count(k);
      double[] ginv = harmonics.gramInverse(k);
      int o = blockOffset[b];
      for (int a = 0; a < m; a++) {
        for (int c = 0; c < cols; c++) {
          double s = 0;
          for (int e = 0; e < m; e++) {
            s += ginv[a * m + e] * tmp[(o + e) * cols + c];
          }
          moments[(o + a) * cols + c] = s;
        }
      }
    }
  }

  /** x − center normalised into {@code unit}; returns ‖x − center‖ (unit = e₁ when it is 0). */
  private double relativeUnit(double[] points, int offset, double[] center, int centerOffset, double[] unit) {
    double r2 = 0;
    for (int t = 0; t < d; t++) {
      double u = points[offset + t] - center[centerOffset + t];
      unit[t] = u;
      r2 += u * u;
    }
    double r = Math.sqrt(r2);
    if (r == 0) {
      unit[0] = 1;  // any direction: only the i = 0, k = 0 feature is non-zero at r′ = 0
      return 0;
    }
    for (int t = 0; t < d; t++) {
      unit[t] /= r;
    }
    return r;
  }
}
