package structura.algorithms.spectral;

/** Whether and how {@link DistributedPca} subtracts the mean before the eigenspace. */
public enum Centering {
  /** The uncentered second moment (1/n)·XᵀX: one round. */
  NONE,
  /**
   * Each partition subtracts its own mean: one round. Equals global centering when partitions
   * share their mean (randomly partitioned data); biased by the spread of partition means otherwise.
   */
  LOCAL,
  /** The global mean, computed in a first round and broadcast: two rounds. The centralized method needs no extra round for it. */
  GLOBAL
}
