package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Holder of the vector species used by every kernel. Following Lucene's NOTE on
 * {@code VectorizationProvider}, nothing in the provider touches the Vector API in a static
 * initialiser: this class is initialised only when {@link VectorBackendProvider#probe()} has
 * already found the incubator module readable, so a JVM without {@code jdk.incubator.vector}
 * gets an "unavailable" report instead of a {@link NoClassDefFoundError}.
 *
 * <p>The species is the platform's preferred one (AVX2: 256 bits, AVX-512: 512, NEON: 128),
 * never a hard-coded width; the kernels derive their register tiles from its lane count.
 */
final class Simd {
  /** Preferred float species: 8 lanes on AVX2, 16 on AVX-512, 4 on NEON. */
  static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
  /** Preferred double species, the same bit width as {@link #FLOAT}. */
  static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED;

  private Simd() {}

  /** Width of the preferred species in bits. */
  static int bits() {
    return FLOAT.vectorBitSize();
  }
}
