/** OpenCL (Aparapi): a Structura backend. Exports nothing; it only provides a {@code BackendProvider}. */
module structura.backend.opencl {
  requires structura.api;

  provides structura.api.backend.BackendProvider with
      structura.backend.opencl.OpenClBackendProvider;
}
