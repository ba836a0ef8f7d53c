package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.backend.Availability;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendPriority;
import structura.api.backend.BackendUnavailableException;

/** The probe on a machine without the NVIDIA driver (CI, and machines without a GPU). */
class CudaBackendProviderTest {
  private static boolean driverPresent() {
    try {
      CudaLibraryLookup.load(CudaLibraryLookup.Library.DRIVER, CudaLibraryLookup.override(CudaLibraryLookup.Library.DRIVER, null));
      return true;
    } catch (CudaLibraryLookup.NotFound e) {
      return false;
    }
  }

  @Test
  void withoutDriverTheProbeSaysSoWithARemedyAndPrintsNothing() {
    Assumptions.assumeFalse(driverPresent(), "an NVIDIA driver is installed here");
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    Availability a;
    CudaBackendProvider provider = new CudaBackendProvider();
    try {
      System.setOut(capture);
      System.setErr(capture);
      a = provider.probe();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
    Availability.Unavailable u = assertInstanceOf(Availability.Unavailable.class, a);
    assertTrue(u.reason().startsWith("no NVIDIA driver: libcuda.so.1 not found"), u.reason());
    assertTrue(u.remedies().stream().anyMatch(r -> r.contains("structura.cuda.driver")), u.remedies().toString());
    assertEquals(BackendPriority.EXPLICIT_ONLY, provider.priority());
    assertEquals(a, provider.probe(), "the probe is cached");
  }

  @Test
  void openWithoutDriverIsB002WithTheReason() {
    Assumptions.assumeFalse(driverPresent(), "an NVIDIA driver is installed here");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> new CudaBackendProvider().open(BackendConfig.builder().build()));
    assertEquals(ErrorCode.BACKEND_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("libcuda.so.1"), e.getMessage());
  }

  @Test
  void driverOverrideToMissingFileNamesTheKeyAndTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("libcuda.so.1");
    CudaDiscovery.Result r = CudaDiscovery.discover(missing.toString(), null);
    Availability.Unavailable u = assertInstanceOf(Availability.Unavailable.class, r.availability());
    assertTrue(u.reason().contains("structura.cuda.driver=" + missing), u.reason());
    assertFalse(r.found());
  }

  @Test
  void versionsAreDecodedAsTheLibrariesEncodeThem() {
    assertEquals("13.0", CudaDiscovery.cudaVersion(13000));
    assertEquals("12.4", CudaDiscovery.cudaVersion(12040));
    assertEquals("13.1.2", CudaDiscovery.blasVersion(130102));
  }
}
