package structura.cli;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import structura.api.backend.Availability;
import structura.api.backend.BackendConfig;
import structura.api.backend.BackendRegistry;
import structura.api.backend.BackendSelection;
import structura.api.backend.ProviderReport;
import structura.api.backend.Setting;

/**
 * {@code structura backends}: every discovered backend with its availability, priority and
 * detail or reason and remedy; the backend that selection picks and why; and where each
 * setting came from.
 */
@Command(name = "backends", exitCodeOnInvalidInput = ExitCodes.USAGE,
    description = "List the discovered backends, which one is selected and why, and where each setting came from.")
final class BackendsCommand implements Callable<Integer> {
  private final Provider<BackendRegistry> registry;
  private final Provider<BackendConfig> config;
  private final GlobalOptions options;

  @Spec
  CommandSpec spec;

  @Inject
  BackendsCommand(Provider<BackendRegistry> registry, Provider<BackendConfig> config,
      GlobalOptions options) {
    this.registry = registry;
    this.config = config;
    this.options = options;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    BackendConfig cfg = config.get();
    List<ProviderReport> reports = registry.get().reports();
    out.println("Backends (auto selection picks the highest-priority available one):");
    int idWidth = Math.max(2, reports.stream().mapToInt(r -> r.id().length()).max().orElse(2));
    String row = "  %-" + idWidth + "s  %-11s  %8s  %s%n";
    out.printf(row, "ID", "STATUS", "PRIORITY", "DETAIL / REASON");
    for (ProviderReport r : reports) {
      String priority = r.status() == ProviderReport.Status.BROKEN ? "-" : Integer.toString(r.priority());
      out.printf(row, r.id(), r.status().name().toLowerCase(java.util.Locale.ROOT), priority, r.availability().summary());
      if (r.availability() instanceof Availability.Unavailable u) {
        String indent = " ".repeat(idWidth + 2 + 2 + 11 + 2 + 8 + 2);
        for (String remedy : u.remedies()) {
          out.println(indent + "remedy: " + remedy);
        }
        if (options.verbose() && u.cause() != null) {
          u.cause().printStackTrace(out);
        }
      }
      if (options.verbose() && !r.source().equals(r.id())) {
        out.println(" ".repeat(idWidth + 2 + 2 + 11 + 2 + 8 + 2) + "provider: " + r.source());
      }
    }
    out.println();
    out.println("Settings (programmatic > command line > system property > environment > default):");
    for (Map.Entry<String, Setting<?>> e : cfg.allSettings().entrySet()) {
      out.printf("  %-24s %s%n", e.getKey(), e.getValue().describe());
    }
    out.println();
    out.flush();
    // preview, not select: select also logs the choice, and this command prints it itself.
    BackendSelection chosen = registry.get().preview(cfg);
    out.println("Selected: " + chosen.explanation());
    return ExitCodes.OK;
  }
}
