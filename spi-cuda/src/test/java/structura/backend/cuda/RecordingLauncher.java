package structura.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/** A {@link KernelLauncher} that launches nothing and remembers every call. */
final class RecordingLauncher implements KernelLauncher {
  /** One recorded launch. */
  record Launch(String function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes,
      List<Object> args) {}

  final List<Launch> launches = new ArrayList<>();

  @Override
  public void launch(String function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
      int sharedBytes, Object... args) {
    launches.add(new Launch(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, List.of(args)));
  }

  /** The only launch recorded since construction (fails otherwise). */
  Launch single() {
    if (launches.size() != 1) {
      throw new AssertionError("expected one launch, got " + launches);
    }
    return launches.get(0);
  }
}
