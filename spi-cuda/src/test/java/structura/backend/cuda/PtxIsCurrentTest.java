package structura.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX ({@code src/main/resources/.../structura_kernels.ptx}, packaged when a build
 * has no nvcc) must be what {@code build-ptx.sh} makes from the current .cu. Needs nvcc of the
 * release that made the committed copy (the PTX text differs between releases); skipped with the
 * reason otherwise. Also assembles it with ptxas for sm_80 and sm_90 when ptxas is present.
 */
class PtxIsCurrentTest {
  private static final Path CU_DIR = Path.of("src/main/cuda");
  private static final Path COMMITTED = Path.of("src/main/resources/structura/backend/cuda/structura_kernels.ptx");
  private static final Pattern RELEASE = Pattern.compile("release (\\d+\\.\\d+), V([\\d.]+)");

  @Test
  void committedPtxIsRegeneratedFromTheCurrentSource(@TempDir Path tmp) throws Exception {
    String nvcc = run(tmp, List.of("nvcc", "--version"));
    assumeTrue(nvcc != null, "nvcc is not on PATH: cannot regenerate the PTX to compare");
    String committed = Files.readString(COMMITTED);
    String made = version(committed);
    String here = version(nvcc);
    assumeTrue(made != null && made.equals(here),
        "the committed PTX was made by nvcc " + made + ", this machine has " + here + ": the text would differ");

    Path fresh = tmp.resolve("fresh.ptx");
    String out = run(tmp, List.of("bash", CU_DIR.resolve("build-ptx.sh").toString(), fresh.toString()));
    assertTrue(out != null && Files.exists(fresh), "build-ptx.sh failed: " + out);
    assertEquals(Files.readString(fresh), committed,
        "the committed PTX is stale: run spi-cuda/src/main/cuda/build-ptx.sh " + "spi-cuda/" + COMMITTED);
  }

  @Test
  void committedPtxAssemblesForAmpereAndHopper(@TempDir Path tmp) throws Exception {
    assumeTrue(run(tmp, List.of("ptxas", "--version")) != null, "ptxas is not on PATH");
    for (String arch : List.of("sm_80", "sm_90")) {
      String out = run(tmp, List.of("ptxas", "-arch=" + arch, COMMITTED.toString(), "-o", tmp.resolve(arch + ".cubin").toString()));
      assertTrue(out != null, "ptxas -arch=" + arch + " rejected the committed PTX");
    }
  }

  private static String version(String text) {
    Matcher m = RELEASE.matcher(text);
    return m.find() ? m.group(2) : null;
  }

  /** Runs a command; its combined output, or null when it cannot start or exits non-zero. */
  private static String run(Path tmp, List<String> command) throws InterruptedException {
    Path log = tmp.resolve("process.log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return null;
      }
      String out = Files.readString(log);
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}
