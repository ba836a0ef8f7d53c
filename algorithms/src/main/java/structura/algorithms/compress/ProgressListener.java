package structura.algorithms.compress;

/**
 * Receives progress of a compression run: stages and per-block steps. Called from the thread
 * running the strategy. The default methods ignore everything.
 */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /** A stage starts (for example "calibration pass 1/2"). */
  default void stage(String name) {}

  /** A block finished within the current stage; {@code detail} says what was done. */
  default void block(int block, int blocks, String detail) {}
}
