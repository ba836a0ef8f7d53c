/** SIMD CPU (Vector API): a Structura backend. Exports nothing; it only provides a {@code BackendProvider}. */
module structura.backend.vector {
  requires structura.api;
  requires jdk.incubator.vector;

  provides structura.api.backend.BackendProvider with
      structura.backend.vector.VectorBackendProvider;
}
