package structura.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.Matrix;

/**
 * A class-path application that did not pass {@code --add-modules jdk.incubator.vector} (the
 * incubator module is then not resolved): the probe must say "unavailable" with that remedy,
 * and must not crash with {@code NoClassDefFoundError}. Runs a child JVM (about a second),
 * because the test JVM itself has the module.
 */
class ClassPathWithoutVectorModuleTest {

  @Test
  void probeReportsTheMissingModuleWithItsRemedy(@TempDir Path dir) throws IOException, InterruptedException {
    Path source = dir.resolve("Probe.java");
    Files.writeString(source, """
        public class Probe {
          public static void main(String[] args) {
            var p = new structura.backend.vector.VectorBackendProvider();
            var a = p.probe();
            System.out.println("available=" + a.isAvailable());
            System.out.println("summary=" + a.summary());
            if (a instanceof structura.api.backend.Availability.Unavailable u) {
              System.out.println("remedies=" + u.remedies());
            }
            try {
              p.open(structura.api.backend.BackendConfig.builder().build());
              System.out.println("open=ok");
            } catch (structura.api.StructuraException e) {
              System.out.println("open=" + e.code());
            }
          }
        }
        """);
    String classPath = location(VectorBackendProvider.class) + File.pathSeparator + location(Matrix.class);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-cp", classPath, source.toString())
        .redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, process.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(lines.contains("available=false"), out);
    assertTrue(out.contains("jdk.incubator.vector is not in the boot layer"), out);
    assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
    assertTrue(lines.contains("open=STRUCTURA-B002"), out);
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
