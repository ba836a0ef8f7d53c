package structura.cli;

/** Process exit codes of the {@code structura} command. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Bad command line: unknown option, missing or malformed argument. */
  public static final int USAGE = 1;
  /** The computation or its input failed (bad file, bad data, numerical failure). */
  public static final int FAILURE = 2;
  /** The requested backend is unknown, unavailable, or failed to open. */
  public static final int BACKEND_UNAVAILABLE = 3;

  private ExitCodes() {}
}
