package structura.api.backend;

/**
 * Named priorities for {@link BackendProvider#priority()}. <b>Higher wins</b> in automatic
 * selection. A negative priority never wins automatic selection, because the reference
 * backend (priority 0) is always available: such a backend runs only when named explicitly.
 */
public final class BackendPriority {
  /** Used only when named explicitly (for example OpenCL on a CPU device). */
  public static final int EXPLICIT_ONLY = -100;
  /** The pure-Java reference backend {@code java}. */
  public static final int REFERENCE = 0;
  /** SIMD CPU backends. */
  public static final int CPU_SIMD = 100;
  /** GPU and accelerator backends. */
  public static final int ACCELERATOR = 200;

  private BackendPriority() {}
}
