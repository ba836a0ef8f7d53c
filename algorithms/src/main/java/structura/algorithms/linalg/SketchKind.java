package structura.algorithms.linalg;

/** How {@link InterpolativeDecomposition} compresses the rows of a tall input before pivoting. */
public enum SketchKind {
  /** No sketch: pivoted QR of the whole input (deterministic). */
  NONE,
  /**
   * Gaussian test matrix Ω (s×m, N(0, 1/s) entries), Y = Ω·A through the backend's GEMM: 2smn
   * flops; the most robust choice (Halko, Martinsson and Tropp 2011, §4.1).
   */
  GAUSSIAN,
  /**
   * CountSketch: every row of A is added, with a random sign, to one of s buckets: O(mn) flops
   * (Clarkson and Woodruff, STOC 2013). Needs a larger oversampling than Gaussian for the same
   * accuracy.
   */
  COUNT_SKETCH,
  /**
   * Subsampled randomized Hadamard transform: random signs, a Walsh–Hadamard transform of each
   * column (m padded to a power of two), s rows sampled uniformly: O(mn log m) flops (Tropp,
   * "Improved analysis of the SRHT", 2011; Woolfe, Liberty, Rokhlin and Tygert 2008).
   */
  SRHT
}
