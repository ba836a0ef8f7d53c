package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.BackendConfig;
import structura.testkit.BackendSuite;

/**
 * The species width override ({@link Simd#BITS_PROPERTY}) and the register block chosen from
 * the width. The build runs this class a second time with 512 bits forced (surefire execution
 * {@code gemm-512-bit-species}), where it proves that the other suites of that execution really
 * ran the 512-bit kernels.
 */
class SpeciesOverrideTest {

  @Test
  void theForkRunsTheWidthItWasGiven() {
    String forced = System.getProperty(Simd.BITS_PROPERTY);
    int bits = forced == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(forced);
    assertEquals(bits, Simd.bits());
    assertEquals(bits, Simd.DOUBLE.vectorBitSize());
    assertEquals(bits >= 512 ? 8 : 4, F32Gemm.MR);
    assertEquals(F32Gemm.MR, F64Gemm.MR);
    assertEquals(2 * bits / 32, F32Gemm.NR);
    assertEquals(2 * bits / 64, F64Gemm.NR);
    BackendSuite.requireAvailable(VectorBackendConformanceTest.vector());
    try (VectorBackend backend = (VectorBackend) VectorBackendConformanceTest.vector()
        .open(BackendConfig.builder().strict(true).threads(1).build())) {
      assertTrue(backend.describe().contains("MR=" + F32Gemm.MR + " NR=" + F32Gemm.NR), backend.describe());
    }
  }

  @Test
  void widthsParseAndNonsenseIsAConfigurationError() {
    assertSame(FloatVector.SPECIES_PREFERRED, Simd.floatSpecies(null));
    assertSame(FloatVector.SPECIES_PREFERRED, Simd.floatSpecies(" "));
    assertSame(FloatVector.SPECIES_512, Simd.floatSpecies("512"));
    assertSame(FloatVector.SPECIES_128, Simd.floatSpecies("128"));
    StructuraException e = assertThrows(StructuraException.class, () -> Simd.floatSpecies("300"));
    assertEquals(ErrorCode.INVALID_CONFIGURATION, e.code());
    assertEquals(ErrorCode.INVALID_CONFIGURATION,
        assertThrows(StructuraException.class, () -> Simd.floatSpecies("wide")).code());
  }
}
