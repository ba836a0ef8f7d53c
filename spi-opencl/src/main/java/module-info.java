/**
 * OpenCL (Aparapi): a Structura backend. Exports nothing; it only provides a {@code BackendProvider}.
 *
 * <p>Aparapi 3.0.2 ships without {@code Automatic-Module-Name}, so its automatic module name
 * comes from the jar name {@code aparapi-3.0.2.jar}: {@code aparapi}. Aparapi reads kernel
 * fields reflectively and the kernel class bytes to translate {@code run()} into OpenCL C,
 * hence the qualified {@code opens} of the package holding the kernels.
 */
module structura.backend.opencl {
  requires structura.api;
  requires aparapi;
  // Aparapi logs through java.util.logging but, as an automatic module, declares no
  // dependencies; requiring it keeps it in the module graph (jlink images included), and
  // OpenClDevices undoes Aparapi's change to the root logger's handler levels.
  requires java.logging;

  opens structura.backend.opencl.kernels to aparapi;

  provides structura.api.backend.BackendProvider with
      structura.backend.opencl.OpenClBackendProvider;
}
