package structura.api.backend;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BackendProvider#probe()} found: available with a detail line (device, SIMD
 * width, version), or unavailable with a reason, at least one remedy, and the cause if any.
 */
public sealed interface Availability permits Availability.Available, Availability.Unavailable {

  /** True for {@link Available}. */
  boolean isAvailable();

  /** The detail (available) or the reason (unavailable), for one-line reports. */
  String summary();

  /** The backend can be opened. {@code detail} names what it will run on. */
  record Available(String detail) implements Availability {
    /** @param detail non-blank description, for example "AVX2, 256-bit float lanes, FMA" */
    public Available {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public String summary() {
      return detail;
    }
  }

  /**
   * The backend cannot be used here.
   *
   * @param reason why, in one sentence; never blank
   * @param remedies what the user can do, at least one entry
   * @param cause the exception that revealed the problem, or null
   */
  record Unavailable(String reason, List<String> remedies, Throwable cause) implements Availability {
    /** Validates that the reason is non-blank and there is at least one remedy. */
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("an unavailable backend must say why");
      }
      remedies = List.copyOf(remedies);
      if (remedies.isEmpty()) {
        throw new IllegalArgumentException("an unavailable backend must offer at least one remedy");
      }
    }

    @Override
    public boolean isAvailable() {
      return false;
    }

    @Override
    public String summary() {
      return reason;
    }
  }

  /** Shorthand for {@code new Available(detail)}. */
  static Available available(String detail) {
    return new Available(detail);
  }

  /** Shorthand for an unavailable result without a cause. */
  static Unavailable unavailable(String reason, String... remedies) {
    return new Unavailable(reason, List.of(remedies), null);
  }

  /** Shorthand for an unavailable result with its cause. */
  static Unavailable unavailable(String reason, Throwable cause, String... remedies) {
    return new Unavailable(reason, List.of(remedies), cause);
  }
}
