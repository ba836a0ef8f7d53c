package structura.algorithms.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import structura.algorithms.linalg.SymmetricEigen;
import structura.api.DType;
import structura.api.ErrorCode;
import structura.api.InvalidArgumentException;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Per-class spectra of sentence embeddings and their imbalance, after Kaushik, Liu, Lin, Khera,
 * Jin, Ma, Muthukumar and Dyer, "Balanced Data, Imbalanced Spectra: Unveiling Class Disparities
 * with Spectral Imbalance" (ICML 2024): classes whose feature covariances have different
 * eigenvalue spectra are separated unequally well by a linear classifier even when the classes
 * have equally many samples.
 *
 * <p><b>Method.</b> For each class c the covariance {@code Σ_c = (X_c − μ_c)ᵀ(X_c − μ_c)/n_c} of its
 * embeddings and its eigenvalues λ_c (descending). The <b>class spectral imbalance</b> reported is
 * the largest normalised ℓ1 distance between two classes' spectra,
 * {@code max_{a,b} Σ_i|λ_a,i − λ_b,i| / (½Σ_i(λ_a,i + λ_b,i))} ({@link Spectrum#distance}), in [0, 2];
 * 0 when all classes share one spectrum. The paper's own index was not available offline; this is
 * the plain distance between the spectra it compares, stated so it can be recomputed from the
 * eigenvalues written beside it.
 *
 * <p><b>Cost.</b> {@code n·d²} multiply-adds for the class Gram matrices on the backend, one d×d
 * eigendecomposition per class. Nothing passed in is modified.
 */
public final class ClassSpectra {
  private ClassSpectra() {}

  /** Per-class spectra (by label, sorted), counts and the imbalance. */
  public record Result(Map<String, Spectrum> spectra, Map<String, Integer> counts, double imbalance,
      String mostDistantA, String mostDistantB) {}

  /**
   * @param compute backend for the Gram products
   * @param embeddings n × d, one row per text
   * @param labels n labels, one per row
   * @throws InvalidArgumentException when the counts differ, fewer than two classes are present, or a class
   *     has fewer than two rows (no covariance)
   */
  public static Result of(Compute compute, Matrix embeddings, List<String> labels) {
    int n = embeddings.rows();
    int d = embeddings.cols();
    if (labels.size() != n) {
      throw new InvalidArgumentException(ErrorCode.DIMENSION_MISMATCH, labels.size() + " labels for " + n + " embeddings.",
          "Pass one label per embedding row.");
    }
    Map<String, List<Integer>> rows = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      rows.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
    }
    if (rows.size() < 2) {
      throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "class spectra need at least two labels; the data has "
          + rows.size() + ".", "Pass labelled texts of two or more classes.");
    }
    Map<String, Spectrum> spectra = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (var e : rows.entrySet()) {
      List<Integer> idx = e.getValue();
      if (idx.size() < 2) {
        throw new InvalidArgumentException(ErrorCode.INVALID_INPUT, "class '" + e.getKey() + "' has " + idx.size()
            + " text; a covariance needs two or more.", "Add texts of that class or drop it from the data.");
      }
      Matrix x = Matrix.zeros(DType.F64, idx.size(), d);
      double[] mean = new double[d];
      for (int r = 0; r < idx.size(); r++) {
        for (int j = 0; j < d; j++) {
          double v = embeddings.get(idx.get(r), j);
          x.set(r, j, v);
          mean[j] += v / idx.size();
        }
      }
      for (int r = 0; r < idx.size(); r++) {
        for (int j = 0; j < d; j++) {
          x.set(r, j, x.get(r, j) - mean[j]);
        }
      }
      Matrix cov = Matrix.zeros(DType.F64, d, d);
      compute.gemm(Transpose.T, Transpose.N, 1.0 / idx.size(), x, x, 0.0, cov);
      spectra.put(e.getKey(), new Spectrum(SymmetricEigen.decompose(cov).values()));
      counts.put(e.getKey(), idx.size());
    }
    double worst = -1;
    String a = null;
    String b = null;
    List<String> names = new ArrayList<>(spectra.keySet());
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        double dist = spectra.get(names.get(i)).distance(spectra.get(names.get(j)));
        if (dist > worst) {
          worst = dist;
          a = names.get(i);
          b = names.get(j);
        }
      }
    }
    return new Result(spectra, counts, worst, a, b);
  }
}
