package structura.formats.io;

import java.nio.file.Path;

/**
 * A process that stages an output and then waits to be stopped, for
 * {@link InterruptedRunTest}: prints {@code staged} once the temporary exists.
 */
public final class StagingChild {
  private StagingChild() {}

  /** {@code args[0]}: the destination to stage. */
  public static void main(String[] args) throws Exception {
    OutputTransaction tx = new OutputTransaction(false);
    tx.write(Path.of(args[0]), o -> o.write(new byte[1 << 20]));
    System.out.println("staged");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
