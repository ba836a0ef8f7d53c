/**
 * Structura's stable API: dense matrix views, linear operators with structure, the backend
 * SPI with its selection rules, and the always-available reference backend {@code java}.
 *
 * <p>This module depends on the JDK only. Backends plug in by
 * {@code provides structura.api.backend.BackendProvider with ...}.
 */
module structura.api {
  exports structura.api;
  exports structura.api.backend;
  exports structura.api.operator;
  exports structura.api.nn;

  uses structura.api.backend.BackendProvider;

  provides structura.api.backend.BackendProvider with
      structura.api.internal.reference.ReferenceBackendProvider;
}
