package structura.backend.cuda;

/**
 * Launches one function of the backend's loaded PTX module on the backend's stream
 * ({@code cuLaunchKernel}). Arguments are marshalled by their Java type: {@code Integer} → int,
 * {@code Long} → 64-bit (device pointers, {@code CUdeviceptr}, and {@code long long}),
 * {@code Float} → float, {@code Double} → double. Launches are asynchronous; a launch error
 * raises {@code STRUCTURA-B004} with the driver's message.
 */
interface KernelLauncher {
  /**
   * @param function the {@code extern "C"} name of the kernel in the module
   * @param gridX blocks along x (≥ 1); y and z blocks likewise
   * @param blockX threads per block along x; y and z likewise
   * @param sharedBytes dynamic shared memory per block
   * @param args the kernel's parameters, in order
   */
  void launch(String function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes,
      Object... args);
}
