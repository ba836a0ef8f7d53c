/**
 * Structured linear algebra: the {@link structura.algorithms.structured.Linalg} facade (solve,
 * inverse, logdet, eigh, eig, sqrt, inverseSqrt, f(A), trace, diagonal) and its visible
 * dispatch table {@link structura.algorithms.structured.DispatchTable}, keyed on operator class,
 * algorithm and structure tags; {@link structura.algorithms.structured.StructuredBenchmark}
 * times the structured routes against dense ones. User documentation: docs/structured.md.
 */
package structura.algorithms.structured;
