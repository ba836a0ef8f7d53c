package structura.api.backend;

import java.util.Objects;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/**
 * The outcome of {@link BackendRegistry#select(BackendConfig)}: which backend, chosen how, and
 * the sentence explaining it. {@link #open()} opens it behind a validating {@link Compute}.
 *
 * @param chosen the selected provider's report (always available)
 * @param config the configuration the choice was made under
 * @param automatic true when chosen by {@code auto}
 * @param explanation one sentence: which backend and why the others were skipped
 */
public record BackendSelection(ProviderReport chosen, BackendConfig config, boolean automatic, String explanation) {
  /** Checks non-null fields. */
  public BackendSelection {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(explanation, "explanation");
  }

  /**
   * Opens the chosen backend. The caller closes the returned {@link Compute}.
   *
   * @throws BackendUnavailableException {@code STRUCTURA-B004} when the provider fails to open,
   *     keeping its cause (for example an {@link UnsatisfiedLinkError})
   */
  public Compute open() {
    BackendProvider provider = chosen.provider().orElseThrow();
    Backend backend;
    try {
      backend = Objects.requireNonNull(provider.open(config), "open() returned null");
    } catch (StructuraException e) {
      throw e;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw new BackendUnavailableException(ErrorCode.BACKEND_FAILED, chosen.id(),
          "Backend '" + chosen.id() + "' was available but failed to open: " + e + ".",
          "Run 'structura backends --verbose' for the cause, or choose another backend.",
          java.util.List.of(chosen), e);
    }
    return Compute.of(backend, config.strict().value());
  }
}
