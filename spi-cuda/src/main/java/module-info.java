/**
 * CUDA: a Structura backend (cuBLAS and PTX kernels through the Foreign Function and Memory API).
 * Exports nothing; it only provides a {@code BackendProvider}. Calling native code needs
 * {@code --enable-native-access=structura.backend.cuda}.
 */
module structura.backend.cuda {
  requires structura.api;

  provides structura.api.backend.BackendProvider with
      structura.backend.cuda.CudaBackendProvider;
}
