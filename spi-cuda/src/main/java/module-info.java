/** CUDA: a Structura backend. Exports nothing; it only provides a {@code BackendProvider}. */
module structura.backend.cuda {
  requires structura.api;

  provides structura.api.backend.BackendProvider with
      structura.backend.cuda.CudaBackendProvider;
}
