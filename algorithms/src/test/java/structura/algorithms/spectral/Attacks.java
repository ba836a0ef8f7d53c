package structura.algorithms.spectral;

import java.util.Set;
import java.util.SplittableRandom;
import structura.algorithms.linalg.HouseholderQr;
import structura.algorithms.linalg.HouseholderQrOptions;
import structura.api.Matrix;
import structura.api.backend.Compute;
import structura.api.backend.Transpose;

/**
 * Faulty node answers for the robustness tests: each is a valid orthonormal d×k basis, otherwise
 * chosen by the attacker, sent by the partitions in {@code corrupted}.
 */
final class Attacks {
  private Attacks() {}

  /** A uniformly random k-dimensional subspace (a different one per node). */
  static NodeFault randomBasis(Set<Integer> corrupted, long seed) {
    return honest -> {
      if (!corrupted.contains(honest.partition())) {
        return honest;
      }
      SplittableRandom r = new SplittableRandom(seed + honest.partition());
      return honest.withBasis(orthonormal(gaussian(r, honest.dimension(), honest.rank())));
    };
  }

  /** The honest subspace with every basis vector negated. */
  static NodeFault signFlip(Set<Integer> corrupted) {
    return honest -> {
      if (!corrupted.contains(honest.partition())) {
        return honest;
      }
      Matrix v = honest.basisMatrix();
      double[] a = v.f64();
      for (int i = 0; i < a.length; i++) {
        a[i] = -a[i];
      }
      return honest.withBasis(v);
    };
  }

  /** The honest subspace in a randomly rotated basis V·R (R orthogonal k×k). */
  static NodeFault rotation(Set<Integer> corrupted, long seed) {
    return honest -> {
      if (!corrupted.contains(honest.partition())) {
        return honest;
      }
      Matrix rot = orthonormal(gaussian(new SplittableRandom(seed + honest.partition()), honest.rank(), honest.rank()));
      return honest.withBasis(Compute.reference().multiply(Transpose.N, honest.basisMatrix(), Transpose.N, rot));
    };
  }

  /**
   * What a node whose data carries a planted, scaled-up spike along one direction u (the same for
   * all attackers: a coordinated attack) would report: u in place of its weakest honest
   * direction, i.e. the basis of span{u, v_1, …, v_(k−1)}.
   */
  static NodeFault scaledSpike(Set<Integer> corrupted, long seed) {
    return honest -> {
      if (!corrupted.contains(honest.partition())) {
        return honest;
      }
      int d = honest.dimension();
      int k = honest.rank();
      Matrix u = gaussian(new SplittableRandom(seed), d, 1);
      Matrix m = Matrix.zeros(structura.api.DType.F64, d, k);
      Matrix v = honest.basisMatrix();
      for (int i = 0; i < d; i++) {
        m.set(i, 0, u.get(i, 0));
        for (int j = 1; j < k; j++) {
          m.set(i, j, v.get(i, j - 1));
        }
      }
      return honest.withBasis(orthonormal(m));
    };
  }

  static Matrix gaussian(SplittableRandom r, int rows, int cols) {
    double[] a = new double[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
    return Matrix.wrap(a, rows, cols);
  }

  static Matrix orthonormal(Matrix m) {
    return new HouseholderQr(Compute.reference(), HouseholderQrOptions.defaults()).factor(m).q();
  }
}
