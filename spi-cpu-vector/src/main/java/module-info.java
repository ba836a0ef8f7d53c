/**
 * SIMD CPU (Vector API): a Structura backend. Exports nothing; it only provides a
 * {@code BackendProvider}. {@code jdk.management} is optional: when present the probe reports
 * whether the JVM uses FMA instructions.
 */
module structura.backend.vector {
  requires structura.api;
  requires jdk.incubator.vector;
  requires static jdk.management;

  provides structura.api.backend.BackendProvider with
      structura.backend.vector.VectorBackendProvider;
}
