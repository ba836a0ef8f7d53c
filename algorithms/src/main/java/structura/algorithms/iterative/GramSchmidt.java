package structura.algorithms.iterative;

import java.util.List;

/**
 * Classical Gram–Schmidt applied twice ("twice is enough": Giraud, Langou and Rozložník, 2005),
 * the orthogonalization of the Arnoldi and GMRES steps; as stable as modified Gram–Schmidt with
 * re-orthogonalization and made of dot products that vectorize.
 */
final class GramSchmidt {
  private GramSchmidt() {}

  /**
   * Orthogonalizes w in place against the orthonormal vectors {@code basis} and returns the
   * coefficients h (length basis.size()), so that w_in = Σ h_i·basis_i + w_out.
   */
  static double[] orthogonalize(List<double[]> basis, double[] w) {
    double[] h = new double[basis.size()];
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < basis.size(); i++) {
        double[] v = basis.get(i);
        double c = 0;
        for (int t = 0; t < w.length; t++) {
          c += v[t] * w[t];
        }
        for (int t = 0; t < w.length; t++) {
          w[t] -= c * v[t];
        }
        h[i] += c;
      }
    }
    return h;
  }

  static double norm(double[] w) {
    return Blocks.norms(w, w.length, 1)[0];
  }
}
