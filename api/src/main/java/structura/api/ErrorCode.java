package structura.api;

/**
 * Stable codes of user-facing errors. Each code has an entry with its fix in
 * {@code docs/errors.md}; codes are never reused for a different meaning.
 */
public enum ErrorCode {
  /** An argument is malformed: negative size, bad offset or leading dimension, null. */
  INVALID_ARGUMENT("STRUCTURA-A001"),
  /** Operand shapes do not agree (inner dimensions of a product, sizes of a sum). */
  DIMENSION_MISMATCH("STRUCTURA-A002"),
  /** Operands mix element types that the operation does not combine. */
  DTYPE_MISMATCH("STRUCTURA-A003"),
  /** An output overlaps an input in memory where the operation forbids it. */
  ALIASING("STRUCTURA-A004"),
  /** A view reaches outside its backing array. */
  OUT_OF_BOUNDS("STRUCTURA-A005"),
  /** An input holds values the operation cannot accept: NaN or infinite entries, an empty matrix, a rank out of range. */
  INVALID_INPUT("STRUCTURA-A006"),
  /**
   * An operation that needs a linear layer's dense weight (head or neuron pruning, magnitude
   * scores, a compression method that reads W) got a factored low-rank layer {@code W = U·V}.
   */
  FACTORED_LAYER("STRUCTURA-A007"),
  /** The requested backend id is not among the discovered providers. */
  BACKEND_UNKNOWN("STRUCTURA-B001"),
  /** The requested backend was found but its probe reports it unavailable. */
  BACKEND_UNAVAILABLE("STRUCTURA-B002"),
  /** The backend lacks a routine and strict mode forbids the reference fallback. */
  ROUTINE_MISSING_STRICT("STRUCTURA-B003"),
  /** The backend was available but failed while opening or running. */
  BACKEND_FAILED("STRUCTURA-B004"),
  /** A configuration value (system property, environment variable, flag) cannot be parsed. */
  INVALID_CONFIGURATION("STRUCTURA-C001"),
  /** A data-dependent numerical failure: a matrix that should be positive definite is not, a factorization broke down. */
  NUMERICAL_FAILURE("STRUCTURA-N001"),
  /**
   * A model file (ONNX, safetensors, config.json, tokenizer.json) is truncated, corrupt, or holds
   * a graph, operator, tensor or shape this library does not support; the message names the
   * file and the tensor or node.
   */
  MODEL_FORMAT("STRUCTURA-F001"),
  /**
   * A data file (a text corpus: JSON lines or plain text, labeled or not; or a points file:
   * CSV or .npy, one point per row) is missing, empty, malformed (ragged rows, NaN/Inf, an
   * unsupported .npy dtype), or lacks what the operation needs (a field, labels, two classes);
   * the message names the file and, where one is to blame, the line or row.
   */
  DATA_FORMAT("STRUCTURA-F002"),
  /**
   * A data set download ({@code structura data fetch}) failed: the registry could not be reached or
   * answered with an error, the transfer stopped early, or the bytes do not match the pinned
   * SHA-512 integrity. Nothing was written.
   */
  DOWNLOAD_FAILED("STRUCTURA-F003"),
  /**
   * A zoo model name was given but its optional jar (dev.langchain4j:langchain4j-embeddings-…) is
   * neither on the class path nor in the local Maven repository the settings point to.
   */
  MODEL_UNAVAILABLE("STRUCTURA-F004"),
  /**
   * A compression target cannot be reached by the method: a FLOP or size budget below what the
   * smallest network the method can produce achieves; the message states the smallest reachable
   * value.
   */
  TARGET_UNREACHABLE("STRUCTURA-P001"),
  /**
   * An output path is an input, lies inside an input directory, contains an input, or equals or
   * nests with another output of the same run (compared as resolved paths); nothing was written.
   */
  OUTPUT_CONFLICT("STRUCTURA-O001"),
  /**
   * An output would replace or delete something the tool did not create, or was not allowed to
   * replace: an existing file without {@code --force}, a non-empty directory that is not a
   * previous Structura output, a directory where a file goes or the reverse.
   */
  OUTPUT_EXISTS("STRUCTURA-O002"),
  /**
   * An output cannot be written: its parent is a file, the place is read-only or not a real file
   * system ({@code /proc}), or an I/O error occurred while writing; no partial output is left.
   */
  OUTPUT_UNWRITABLE("STRUCTURA-O003"),
  /**
   * An iterative method that needs a symmetric (positive definite) operator found it is not:
   * negative or zero curvature pᵀAp ≤ 0 in conjugate gradients, or a randomized symmetry test
   * that fails; the message names the method, the iteration and the value.
   */
  NOT_SYMMETRIC_POSITIVE_DEFINITE("STRUCTURA-N002"),
  /**
   * A Krylov recurrence broke down: Lanczos or Arnoldi lost its basis (a new vector with no
   * component left after re-orthogonalization while the space should still grow, a zero start
   * vector), or a coefficient became non-finite.
   */
  ITERATION_BREAKDOWN("STRUCTURA-N003"),
  /**
   * Partitioned data cannot be used as given: a row partition is empty, there are more partitions
   * than rows, or partitions disagree on the number of columns; the message names the partition.
   */
  PARTITION_INVALID("STRUCTURA-D001"),
  /**
   * A round over partitioned data failed for good: a task kept failing after the engine's
   * retries, or a worker was lost; the cause is kept in the chain.
   */
  PARTITIONED_JOB_FAILED("STRUCTURA-D002"),
  /**
   * The requested execution engine cannot run: the optional Spark module is not on the class
   * path, or the master URL cannot be reached within the time allowed.
   */
  ENGINE_UNAVAILABLE("STRUCTURA-D003"),
  /**
   * An iterative method run by a facade that must return an answer (for example
   * {@code Linalg.solve} above {@code Auto}'s dense limit) did not reach its tolerance within its
   * iteration cap; the exception carries the partial solution and its residuals.
   */
  NOT_CONVERGED("STRUCTURA-N004");

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  /** The stable code, for example {@code STRUCTURA-B002}. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return code;
  }
}
