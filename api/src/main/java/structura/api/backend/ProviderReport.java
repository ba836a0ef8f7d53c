package structura.api.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * What discovery learned about one provider: its id, priority, probe result, and where it came
 * from. A provider whose constructor, {@code id()} or {@code probe()} threw is {@link Status#BROKEN};
 * its availability is then {@link Availability.Unavailable} carrying the exception.
 *
 * @param id backend id (for a broken provider whose id is unknown, its class name)
 * @param displayName human-readable name
 * @param priority rank in automatic selection, higher wins
 * @param availability probe result
 * @param status available, unavailable, broken, or shadowed by another provider with the same id
 * @param source the provider's class name
 * @param provider the provider instance; empty when broken
 */
public record ProviderReport(
    String id,
    String displayName,
    int priority,
    Availability availability,
    Status status,
    String source,
    Optional<BackendProvider> provider) {

  /** Outcome of discovering and probing one provider. */
  public enum Status {
    /** Probe succeeded; the backend can be opened. */
    AVAILABLE,
    /** Probe reported the backend unavailable, with reason and remedies. */
    UNAVAILABLE,
    /** The provider threw from its constructor, {@code id()}, {@code priority()} or {@code probe()}. */
    BROKEN,
    /** Another provider with the same id and a higher priority (or found first) takes precedence. */
    SHADOWED
  }

  /** Checks non-null fields. */
  public ProviderReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(provider, "provider");
  }

  /** True when the backend can be opened. */
  public boolean available() {
    return status == Status.AVAILABLE;
  }

  /** One line: {@code "vector (unavailable: reason)"}. */
  public String brief() {
    return id + " (" + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + availability.summary() + ")";
  }
}
