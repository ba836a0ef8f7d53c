package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StructuraCliTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = StructuraCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void runsAsANamedModule() {
    assertTrue(getClass().getModule().isNamed());
  }

  @Test
  void backendsListsTheReferenceBackendAndEveryDiscoveredProvider() {
    Run r = run("backends");
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
    Run r = run("--backend", "no-such-backend", "backends");
    assertEquals(ExitCodes.BACKEND_UNAVAILABLE, r.exit());
    assertTrue(r.err().contains("STRUCTURA-B001"), r.err());
    assertTrue(r.err().contains("--backend"), r.err());
    assertTrue(r.err().contains("java (available"), r.err());
  }

  @Test
  void unavailableBackendExitsThreeForAnyCommand() {
    Run r = run("check", "--backend", "cuda", "--size", "8");
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
    Run r = run("--threads", "0", "backends");
    assertEquals(ExitCodes.FAILURE, r.exit());
    assertTrue(r.err().contains("STRUCTURA-C001"), r.err());
  }

  @Test
  void checkAgreesWithTheReferenceOnTheReferenceBackend() {
    Run r = run("--backend", "java", "check", "--size", "24");
    assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("All routines agree"), r.out());
    assertEquals(12, r.out().lines().filter(l -> l.endsWith("  ok")).count(), r.out());
  }
}
