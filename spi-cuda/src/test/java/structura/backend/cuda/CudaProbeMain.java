package structura.backend.cuda;

import structura.api.backend.Availability;
import structura.api.backend.Backend;
import structura.api.backend.BackendConfig;

/**
 * Prints what the probe found and, when available, the opened backend's description: the first
 * diagnostic to run on a new machine ({@code java --enable-native-access=ALL-UNNAMED -cp ...
 * structura.backend.cuda.CudaProbeMain}). Exit status 0 when available, 3 otherwise.
 */
public final class CudaProbeMain {
  private CudaProbeMain() {}

  public static void main(String[] args) {
    CudaBackendProvider provider = new CudaBackendProvider();
    Availability a = provider.probe();
    if (a instanceof Availability.Unavailable u) {
      System.out.println("cuda: unavailable: " + u.reason());
      System.out.println("  remedies: " + String.join(" | ", u.remedies()));
      if (u.cause() != null) {
        u.cause().printStackTrace(System.out);
      }
      System.exit(3);
    }
    System.out.println("cuda: available: " + a.summary());
    System.out.println("  priority: " + provider.priority());
    try (Backend b = provider.open(BackendConfig.builder().strict(true).build())) {
      System.out.println("  opened: " + b.describe());
    }
  }
}
