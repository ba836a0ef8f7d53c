package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, for the backend's species ({@link Simd}).
 *
 * <p>Why not {@code reduceLanes(VectorOperators.ADD)}: its order is unspecified, and on JDK 25
 * the interpreter's and C1's Java fallback adds the lanes left to right while C2's intrinsic adds
 * them as a halving tree. Which one runs depends on how warm the JIT is, so a reduction could
 * give different bits from run to run (a loaded machine shifts when C2 compiles a loop): the
 * same compression job selected the same units but wrote different weights. This sum is the
 * halving tree, done with lane-wise adds and fixed shuffles, which both the fallback and the
 * intrinsic compute exactly: lane i gets {@code v[i] + v[i + L/2]}, then {@code + v[i + L/4]} of
 * that, and so on, so for 8 lanes {@code ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7))}, the order of the
 * C2 intrinsic on x86 (results of warm code are unchanged). Cost: log₂ L shuffles and adds.
 */
final class LaneSums {
  private static final VectorShuffle<Float>[] FLOAT_STEPS = halvingShuffles(Simd.FLOAT);
  private static final VectorShuffle<Double>[] DOUBLE_STEPS = halvingShuffles(Simd.DOUBLE);

  private LaneSums() {}

  /** Σ lanes of v, a vector of {@link Simd#FLOAT}, as a halving tree. */
  static float sum(FloatVector v) {
    for (VectorShuffle<Float> step : FLOAT_STEPS) {
      v = v.add(v.rearrange(step));
    }
    return v.lane(0);
  }

  /** Σ lanes of v, a vector of {@link Simd#DOUBLE}, as a halving tree. */
  static double sum(DoubleVector v) {
    for (VectorShuffle<Double> step : DOUBLE_STEPS) {
      v = v.add(v.rearrange(step));
    }
    return v.lane(0);
  }

  /** For h = L/2, L/4, …, 1 the shuffle taking lane i from lane (i + h) mod L. */
  @SuppressWarnings("unchecked")
  private static <E> VectorShuffle<E>[] halvingShuffles(VectorSpecies<E> species) {
    int steps = Integer.numberOfTrailingZeros(species.length());
    VectorShuffle<E>[] out = new VectorShuffle[steps];
    for (int k = 0, h = species.length() / 2; k < steps; k++, h /= 2) {
      out[k] = VectorShuffle.iota(species, h, 1, true);
    }
    return out;
  }
}
