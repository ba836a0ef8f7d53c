package structura.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed outputs get the permissions a plain new file or directory gets from this process
 * (0644 and 0755 under umask 022), even when a writer staged them as 0600/0700 the way
 * {@code createTempFile} and {@code createTempDirectory} do.
 */
class OutputPermissionsTest {
  private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  @TempDir
  Path dir;

  private Set<PosixFilePermission> plainFile;
  private Set<PosixFilePermission> plainDirectory;

  /** The independent reference: what the operating system gives a file and a directory created without attributes. */
  @BeforeEach
  void probeTheUmask() throws IOException {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");
    plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe-file")));
    plainDirectory = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("probe-directory")));
  }

  @Test
  void theDefaultsMatchWhatTheSystemGivesAPlainFileAndDirectory() {
    assertEquals(plainFile, DefaultPermissions.of(false));
    assertEquals(plainDirectory, DefaultPermissions.of(true));
  }

  @Test
  void filesStagedPrivatelyAreCommittedWithTheUsualPermissions() throws IOException {
    Path report = dir.resolve("report.json");
    Path model = dir.resolve("model");
    try (OutputTransaction tx = new OutputTransaction(false)) {
      Path tmp = tx.file(report);
      Files.writeString(tmp, "{}");
      Files.setPosixFilePermissions(tmp, PRIVATE_FILE);
      Path d = tx.directory(model);
      Files.setPosixFilePermissions(d, PRIVATE_DIRECTORY);
      Files.writeString(d.resolve("model.safetensors"), "x");
      Files.setPosixFilePermissions(d.resolve("model.safetensors"), PRIVATE_FILE);
      tx.commit();
    }
    assertEquals(plainFile, Files.getPosixFilePermissions(report));
    assertEquals(plainDirectory, Files.getPosixFilePermissions(model));
    assertEquals(plainFile, Files.getPosixFilePermissions(model.resolve("model.safetensors")));
    assertEquals(plainFile, Files.getPosixFilePermissions(model.resolve(OutputMarker.FILE_NAME)));
  }

  @Test
  void aReplacedFileGetsTheUsualPermissionsToo() throws IOException {
    Path report = dir.resolve("report.json");
    Files.writeString(report, "old");
    Files.setPosixFilePermissions(report, PRIVATE_FILE);
    OutputTransaction.writeFile(report, o -> o.write('x'));
    assertEquals(plainFile, Files.getPosixFilePermissions(report));
  }
}
