package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StructuraCliTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void runsAsANamedModule() {
    assertTrue(getClass().getModule().isNamed());
  }

  @Test
  void backendsListsTheReferenceBackendAndEveryDiscoveredProvider() {
    CliRun r = run("backends");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().matches("(?s).*\\n  java\\s+available\\s+0 .*"), r.out());
    for (String id : new String[] {"vector", "opencl", "cuda"}) {
      assertTrue(r.out().contains("\n  " + id + " "), id + " missing from:\n" + r.out());
    }
    assertTrue(r.out().contains("structura.backend        auto (default)"), r.out());
    assertTrue(r.out().contains("Selected: Using backend '"), r.out());
  }

  @Test
  void unknownBackendExitsThreeAndSaysWhatWasFound() {
    CliRun r = run("--backend", "no-such-backend", "backends");
    assertEquals(ExitCodes.BACKEND_UNAVAILABLE, r.exit());
    assertTrue(r.err().contains("STRUCTURA-B001"), r.err());
    assertTrue(r.err().contains("--backend"), r.err());
    assertTrue(r.err().contains("java (available"), r.err());
  }

  @Test
  void unavailableBackendExitsThreeForAnyCommand() {
    CliRun r = run("check", "--backend", "cuda", "--size", "8");
    assertEquals(ExitCodes.BACKEND_UNAVAILABLE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-B002"), r.err());
  }

  @Test
  void badUsageExitsOne() {
    assertEquals(ExitCodes.USAGE, run("--no-such-flag").exit());
    assertEquals(ExitCodes.USAGE, run("backends", "surplus-argument").exit());
    assertEquals(ExitCodes.USAGE, run("--threads", "many", "backends").exit());
  }

  @Test
  void badConfigurationValueIsAComputationInputFailure() {
    CliRun r = run("--threads", "0", "backends");
    assertEquals(ExitCodes.FAILURE, r.exit());
    assertTrue(r.err().contains("STRUCTURA-C001"), r.err());
  }

  @Test
  void checkAgreesWithTheReferenceOnTheReferenceBackend() {
    CliRun r = run("--backend", "java", "check", "--size", "24");
    assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("All routines agree"), r.out());
    assertEquals(12, r.out().lines().filter(l -> l.endsWith("  ok")).count(), r.out());
  }
}
