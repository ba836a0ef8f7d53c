package structura.api.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import structura.api.ErrorCode;

/**
 * The backends found on the module path (and class path), each probed once. Immutable after
 * construction; create as many as you like, there is no global registry.
 *
 * <p>Every provider is isolated: one that fails to load, throws from its constructor or probe,
 * or returns garbage is reported as {@link ProviderReport.Status#BROKEN} with its cause, and the
 * others are unaffected. Reports are ordered by priority, highest first, then by id.
 */
public final class BackendRegistry {
  private static final System.Logger LOG = System.getLogger("structura.backend");
  private static final int MAX_LOADER_ERRORS = 64;

  private final List<ProviderReport> reports;

  private BackendRegistry(List<ProviderReport> reports) {
    this.reports = List.copyOf(reports);
  }

  /** A provider to probe: where it comes from, and how to instantiate it. */
  public record Candidate(String source, Supplier<? extends BackendProvider> factory) {
    /** Checks non-null fields. */
    public Candidate {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(factory, "factory");
    }

    /** A candidate for an already constructed provider. */
    public static Candidate of(BackendProvider provider) {
      return new Candidate(provider.getClass().getName(), () -> provider);
    }
  }

  /**
   * Discovers providers with {@link ServiceLoader} (module path and class path) and probes each.
   * Cost: one constructor and one {@code probe()} per provider.
   */
  public static BackendRegistry discover() {
    return discover(ServiceLoader.load(BackendProvider.class, BackendRegistry.class.getClassLoader()));
  }

  /** Discovers providers from a given loader, for applications with their own module layers. */
  public static BackendRegistry discover(ServiceLoader<BackendProvider> loader) {
    List<ProviderReport> broken = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    Iterator<ServiceLoader.Provider<BackendProvider>> it = loader.stream().iterator();
    int errors = 0;
    while (errors < MAX_LOADER_ERRORS) {
      ServiceLoader.Provider<BackendProvider> p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        errors++;
        broken.add(brokenReport("unknown provider", "unknown provider", e));
        continue;
      }
      candidates.add(new Candidate(p.type().getName(), p::get));
    }
    List<ProviderReport> all = probeAll(candidates);
    all.addAll(broken);
    return new BackendRegistry(order(all));
  }

  /** A registry of explicitly given candidates (tests, embedding applications). */
  public static BackendRegistry of(List<Candidate> candidates) {
    return new BackendRegistry(order(probeAll(candidates)));
  }

  /** Every provider found, highest priority first. */
  public List<ProviderReport> reports() {
    return reports;
  }

  /** The report for {@code id}, ignoring shadowed duplicates. */
  public Optional<ProviderReport> find(String id) {
    return reports.stream()
        .filter(r -> r.id().equals(id) && r.status() != ProviderReport.Status.SHADOWED)
        .findFirst();
  }

  /**
   * Chooses a backend for {@code config}, following one precedence for the request (see
   * {@link BackendConfig}). With {@code auto} the highest-priority available backend wins and
   * one INFO line names it and why each other was skipped. An explicit request that is unknown
   * or unavailable throws; there is no silent fallback.
   *
   * @throws BackendUnavailableException {@code STRUCTURA-B001} (unknown id) or
   *     {@code STRUCTURA-B002} (found but unavailable or broken)
   */
  public BackendSelection select(BackendConfig config) {
    BackendSelection chosen = decide(config);
    LOG.log(chosen.automatic() ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, chosen.explanation());
    return chosen;
  }

  /**
   * What {@link #select} would choose, with the same errors, but without its log line: for tools
   * that print the choice themselves (the CLI's {@code backends} command), so it appears once.
   */
  public BackendSelection preview(BackendConfig config) {
    return decide(config);
  }

  private BackendSelection decide(BackendConfig config) {
    Setting<String> request = config.backend();
    if (config.automatic()) {
      ProviderReport chosen = reports.stream().filter(ProviderReport::available).findFirst()
          .orElseThrow(() -> new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, ConfigKeys.AUTO,
              "No backend is available, not even the reference backend 'java'.",
              "Put structura-api on the module path unmodified; the reference backend ships in it.",
              reports, null));
      List<String> skipped = new ArrayList<>();
      for (ProviderReport r : reports) {
        if (r == chosen) {
          continue;
        }
        skipped.add(r.available()
            ? r.id() + " (lower priority " + r.priority() + ")"
            : r.brief());
      }
      String why = "Using backend '" + chosen.id() + "' (auto, priority " + chosen.priority() + "): "
          + chosen.availability().summary()
          + (skipped.isEmpty() ? "." : ". Skipped: " + String.join("; ", skipped) + ".");
      return new BackendSelection(chosen, config, true, why);
    }
    String id = request.value();
    ProviderReport report = find(id).orElseThrow(() -> new BackendUnavailableException(
        ErrorCode.BACKEND_UNKNOWN, id,
        "Backend '" + id + "' was requested by " + request.source().description() + " "
            + request.origin() + " but no provider with that id was found.",
        "Use one of the ids listed, or 'auto'; to add a backend, put its jar (for example "
            + "structura-backend-" + id + ") on the module path.",
        reports, null));
    if (!report.available()) {
      Availability.Unavailable u = (Availability.Unavailable) report.availability();
      throw new BackendUnavailableException(ErrorCode.BACKEND_UNAVAILABLE, id,
          "Backend '" + id + "' was requested by " + request.source().description() + " "
              + request.origin() + " but is " + report.status().name().toLowerCase(java.util.Locale.ROOT)
              + ": " + u.reason(),
          String.join(" ", u.remedies()) + " Or choose another backend (or 'auto').",
          reports, u.cause());
    }
    String why = "Using backend '" + id + "' (requested by " + request.source().description() + " " + request.origin() + "): "
        + report.availability().summary() + ".";
    return new BackendSelection(report, config, false, why);
  }

  private static List<ProviderReport> probeAll(List<Candidate> candidates) {
    List<ProviderReport> out = new ArrayList<>();
    for (Candidate c : candidates) {
      out.add(probe(c));
    }
    return out;
  }

  private static ProviderReport probe(Candidate candidate) {
    BackendProvider provider;
    String id = candidate.source();
    try {
      provider = Objects.requireNonNull(candidate.factory().get(), "provider factory returned null");
      id = Objects.requireNonNull(provider.id(), "id() returned null");
      String name = Objects.requireNonNull(provider.displayName(), "displayName() returned null");
      Availability availability = Objects.requireNonNull(provider.probe(), "probe() returned null");
      int priority = provider.priority();
      ProviderReport.Status status = availability.isAvailable()
          ? ProviderReport.Status.AVAILABLE : ProviderReport.Status.UNAVAILABLE;
      return new ProviderReport(id, name, priority, availability, status, candidate.source(), Optional.of(provider));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {  // a broken provider must not break discovery (anchors: TornadoVM loadBackends)
      LOG.log(System.Logger.Level.WARNING, "Backend provider " + candidate.source() + " is broken: " + e, e);
      return brokenReport(id, candidate.source(), e);
    }
  }

  /** A report for a provider that could not be loaded or probed; {@code id} is its class name when unknown. */
  private static ProviderReport brokenReport(String id, String source, Throwable e) {
    Availability.Unavailable u = Availability.unavailable(
        "provider failed while loading or probing: " + e,
        e,
        "Check that the backend jar matches this structura-api version and that its dependencies are on the module path; run with --verbose for the stack trace.");
    return new ProviderReport(id, source, Integer.MIN_VALUE, u, ProviderReport.Status.BROKEN, source, Optional.empty());
  }

  private static List<ProviderReport> order(List<ProviderReport> reports) {
    List<ProviderReport> sorted = new ArrayList<>(reports);
    sorted.sort(Comparator.comparingInt(ProviderReport::priority).reversed().thenComparing(ProviderReport::id));
    Set<String> seen = new HashSet<>();
    List<ProviderReport> out = new ArrayList<>();
    for (ProviderReport r : sorted) {
      if (r.status() != ProviderReport.Status.BROKEN && !seen.add(r.id())) {
        String winner = out.stream().filter(o -> o.id().equals(r.id())).findFirst().map(ProviderReport::source).orElse("?");
        LOG.log(System.Logger.Level.WARNING, "Two providers claim backend id '" + r.id() + "': " + winner
            + " is used, " + r.source() + " is ignored.");
        out.add(new ProviderReport(r.id(), r.displayName(), r.priority(),
            Availability.unavailable("another provider with id '" + r.id() + "' takes precedence: " + winner,
                "Remove one of the two jars providing '" + r.id() + "' from the module path."),
            ProviderReport.Status.SHADOWED, r.source(), r.provider()));
      } else {
        out.add(r);
      }
    }
    return out;
  }
}
