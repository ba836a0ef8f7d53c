package structura.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StructuraCliTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Every command path of the tree, e.g. [compress], [kernel, mvm], found from picocli rather than listed by hand. */
  private static List<List<String>> commandPaths(CommandLine command, List<String> prefix) {
    List<List<String>> paths = new ArrayList<>();
    for (var e : command.getSubcommands().entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      paths.add(path);
      paths.addAll(commandPaths(e.getValue(), path));
    }
    return paths;
  }

  @Test
  void everyCommandAndSubcommandAcceptsHelpAndExitsZero() {
    List<List<String>> paths = commandPaths(StructuraCli.commandLine(new StructuraCli()), List.of());
    assertTrue(paths.size() >= 12, "the tree has compress, eval, kernel mvm, bench structured, ...: " + paths);
    assertTrue(paths.contains(List.of("bench", "structured")), paths.toString());
    paths.add(List.of());   // the root command itself
    for (List<String> path : paths) {
      for (String flag : new String[] {"--help", "-h"}) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exit(), args + ": " + r.err());
        assertTrue(r.out().contains("Usage: structura"), args + ": " + r.out());
        assertTrue(r.err().isEmpty(), args + ": " + r.err());
      }
    }
  }

  @Test
  void runsAsANamedModule() {
    assertTrue(getClass().getModule().isNamed());
  }

  @Test
  void backendsListsTheReferenceBackendAndEveryDiscoveredProvider() {
    List<String> logged = new ArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord record) { logged.add(record.getMessage()); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    Logger backendLog = Logger.getLogger("structura.backend");
    backendLog.addHandler(capture);
    CliRun r;
    try {
      r = run("backends");
    } finally {
      backendLog.removeHandler(capture);
    }
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().matches("(?s).*\\n  java\\s+available\\s+0 .*"), r.out());
    for (String id : new String[] {"vector", "opencl"}) {
      assertTrue(r.out().contains("\n  " + id + " "), id + " missing from:\n" + r.out());
    }
    assertTrue(r.out().contains("\n  cuda "), "the CUDA backend is bundled:\n" + r.out());
    long printed = r.out().split("Using backend '", -1).length - 1
        + logged.stream().filter(m -> m != null && m.contains("Using backend '")).count();
    assertEquals(1, printed, "the selection is printed once:\n" + r.out() + logged);
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
  void unbundledBackendExitsThreeForAnyCommandAndNamesItsJar() {
    CliRun r = run("check", "--backend", "tpu", "--size", "8");
    assertEquals(ExitCodes.BACKEND_UNAVAILABLE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-B001"), r.err());
    assertTrue(r.err().contains("structura-backend-tpu"), r.err());
  }

  @Test
  void cudaWithoutGpuExitsThreeWithTheProbesReason() {
    CliRun backends = run("backends");
    Assumptions.assumeFalse(backends.out().matches("(?s).*\\n  cuda\\s+available.*"), "a CUDA GPU is present here");
    CliRun r = run("check", "--backend", "cuda", "--size", "8");
    assertEquals(ExitCodes.BACKEND_UNAVAILABLE, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("STRUCTURA-B002"), r.err());
    assertTrue(r.err().contains("no NVIDIA driver") || r.err().contains("cuInit failed")
        || r.err().contains("no CUDA device") || r.err().contains("cuBLAS missing")
        || r.err().contains("native access is not enabled"), r.err());
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
    // 7 families × 2 dtypes, the F32 elementwise chain, and the resident GEMM in both dtypes (the
    // reference backend offers the resident extension)
    assertEquals(7 * 2 + 1 + 2, r.out().lines().filter(l -> l.endsWith("  ok")).count(), r.out());
    assertTrue(r.out().contains("resident gemm"), r.out());
    assertTrue(r.out().contains("softmax/gelu/layerNorm"), r.out());
  }
}
