package structura.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * Holder of the vector species used by every kernel. Following Lucene's NOTE on
 * {@code VectorizationProvider}, nothing in the provider touches the Vector API in a static
 * initialiser: this class is initialised only when {@link VectorBackendProvider#probe()} has
 * already found the incubator module readable, so a JVM without {@code jdk.incubator.vector}
 * gets an "unavailable" report instead of a {@link NoClassDefFoundError}.
 *
 * <p>The species is the platform's preferred one (AVX2: 256 bits, AVX-512: 512, NEON: 128),
 * never a hard-coded width; the kernels derive their register tiles from its lane count.
 *
 * <p>The system property {@value #BITS_PROPERTY} (64, 128, 256 or 512), read once when this
 * class is initialised, replaces the preferred width. It exists so that the kernels' code paths
 * for a width the machine lacks can be tested: the Vector API then computes the same results
 * in software, correctly but one to two orders of magnitude slower (the build runs the GEMM
 * conformance suites with 512 bits on AVX2 machines this way). Not for production use.
 */
final class Simd {
  /** System property that forces the vector width in bits; absent: the platform's preferred width. */
  static final String BITS_PROPERTY = "structura.vector.bits";
  /** Float species: the preferred one (8 lanes on AVX2, 16 on AVX-512, 4 on NEON) unless forced. */
  static final VectorSpecies<Float> FLOAT = floatSpecies(System.getProperty(BITS_PROPERTY));
  /** Double species, the same bit width as {@link #FLOAT}. */
  static final VectorSpecies<Double> DOUBLE = FLOAT == FloatVector.SPECIES_PREFERRED
      ? DoubleVector.SPECIES_PREFERRED
      : VectorSpecies.of(double.class, FLOAT.vectorShape());

  private Simd() {}

  /** Width of the species in bits. */
  static int bits() {
    return FLOAT.vectorBitSize();
  }

  /** The preferred float species, or the one of {@code bits} bits when given. */
  static VectorSpecies<Float> floatSpecies(String bits) {
    if (bits == null || bits.isBlank()) {
      return FloatVector.SPECIES_PREFERRED;
    }
    try {
      return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
    } catch (IllegalArgumentException e) {
      throw new StructuraException(ErrorCode.INVALID_CONFIGURATION,
          BITS_PROPERTY + " = \"" + bits + "\" is not a vector width.",
          "Give 64, 128, 256 or 512, or leave the property unset for the platform's preferred width.", e);
    }
  }
}
