package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import structura.algorithms.structured.StructuredBenchmark;
import structura.algorithms.structured.StructuredBenchmarkOptions;
import structura.algorithms.structured.StructuredBenchmarkRow;
import structura.api.backend.BackendSelection;
import structura.api.backend.Compute;
import structura.formats.io.OutputPlan;

/**
 * {@code structura bench structured}: times structured solve, logdet and eigh against the dense
 * route ({@link StructuredBenchmark}) and prints the table; {@code --json} also writes one object
 * per row. The work is in the library class; this command only parses, prints and writes.
 */
@Command(name = "structured", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "Time structured (Kronecker, block-diagonal, Woodbury) solve/logdet/eigh against dense on this machine.")
final class BenchStructuredCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--size", paramLabel = "N", defaultValue = "4096",
      description = "Operator order n (Kronecker factors sqrt(n), 64 blocks of n/64, Woodbury at 4n); default ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as a JSON array to FILE.")
  Path json;

  @Option(names = "--force", description = "Replace an existing --json file.")
  boolean force;

  private final Provider<BackendSelection> selection;

  @Inject
  BenchStructuredCommand(Provider<BackendSelection> selection) {
    this.selection = selection;
  }

  @Override
  public Integer call() {
    StructuredBenchmarkOptions options = StructuredBenchmarkOptions.defaults().withN(size);
    new OutputPlan(force).output("--json", json, OutputPlan.Shape.FILE).check();  // before minutes of timing
    PrintWriter out = spec.commandLine().getOut();
    List<StructuredBenchmarkRow> rows;
    try (Compute compute = selection.get().open()) {
      out.printf("Structured vs dense on backend %s (F64; dense solve and logdet by Cholesky, eigh by EJML; dense above "
          + "n=%d for factorizations and n=%d for eigh is timed at that order and scaled by n^3):%n", compute.backendId(),
          options.denseFactorMaxN(), options.denseEigenMaxN());
      out.flush();
      rows = new StructuredBenchmark(options, compute).run();
    }
    String format = "%-44s %-7s %6s %14s %12s %9s %10s %14s%n";
    out.printf(format, "operator", "function", "n", "structured_s", "dense_s", "dense_n", "speedup", "relative_error");
    for (StructuredBenchmarkRow r : rows) {
      out.printf(format, r.operator(), r.function(), r.n(), String.format("%.6f", r.structuredSeconds()),
          String.format("%.3f", r.denseSeconds()), r.denseMeasuredN(), String.format("%.1f", r.speedup()),
          String.format("%.2e", r.relativeError()));
    }
    out.flush();
    if (json != null) {
      List<Map<String, Object>> objects = rows.stream().map(BenchStructuredCommand::toJson).toList();
      JsonReport.write(json, objects, force);
    }
    return ExitCodes.OK;
  }

  private static Map<String, Object> toJson(StructuredBenchmarkRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operator", r.operator());
    m.put("function", r.function());
    m.put("n", r.n());
    m.put("structured_seconds", (r.structuredSeconds()));
    m.put("dense_seconds", (r.denseSeconds()));
    m.put("speedup", (r.speedup()));
    m.put("relative_error", (r.relativeError()));
    m.put("dense_measured_n", r.denseMeasuredN());
    return m;
  }
}
