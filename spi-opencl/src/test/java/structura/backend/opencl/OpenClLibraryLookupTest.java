package structura.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenClLibraryLookupTest {
  @Test
  void searchOrderIsLdLibraryPathThenLdSoConfWithIncludesThenSystemDirectories(@TempDir Path tmp) throws IOException {
    Path confD = Files.createDirectories(tmp.resolve("ld.so.conf.d"));
    Files.writeString(confD.resolve("b.conf"), "/opt/b/lib\n");
    Files.writeString(confD.resolve("a.conf"), "# vendor\n/opt/a/lib  # trailing comment\n");
    Path conf = Files.writeString(tmp.resolve("ld.so.conf"), "include ld.so.conf.d/*.conf\n/opt/c/lib\n");

    List<Path> path = OpenClLibraryLookup.searchPath("/x/lib::/y/lib", conf);

    assertEquals(List.of(Path.of("/x/lib"), Path.of("/y/lib"), Path.of("/opt/a/lib"), Path.of("/opt/b/lib"),
        Path.of("/opt/c/lib")), path.subList(0, 5));
    assertTrue(path.contains(Path.of("/usr/lib/x86_64-linux-gnu")));
  }

  @Test
  void missingOrUnreadableConfigurationOnlyNarrowsTheSearch(@TempDir Path tmp) {
    List<Path> path = OpenClLibraryLookup.searchPath(null, tmp.resolve("absent.conf"));
    assertEquals(Path.of("/lib"), path.get(0));
  }

  @Test
  void findAgreesWithTheFileSystem() {
    boolean onDisk = OpenClLibraryLookup.searchPath(System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.conf"))
        .stream().anyMatch(d -> Files.exists(d.resolve(OpenClLibraryLookup.LIBRARY)));
    assertEquals(onDisk || !System.getProperty("os.name").toLowerCase().contains("linux"),
        OpenClLibraryLookup.find().isPresent());
  }
}
