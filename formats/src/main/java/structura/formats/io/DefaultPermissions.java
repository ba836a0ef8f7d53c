package structura.formats.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Gives committed outputs the permissions a shell would: {@code 0666 & ~umask} for files and
 * {@code 0777 & ~umask} for directories ({@code rw-r--r--} and {@code rwxr-xr-x} under the usual
 * umask 022). Needed because writers may stage through {@code createTempFile}, which creates
 * {@code 0600}, and a copy keeps its source's mode; an output is meant to be shared like any file
 * the user writes. The umask is read from {@code /proc/self/status} (Linux); elsewhere 022 is
 * assumed. File systems without POSIX permissions are left alone.
 */
final class DefaultPermissions {
  /** The process umask, as the low nine permission bits. */
  static final int UMASK = readUmask();

  private static final List<PosixFilePermission> BY_BIT = List.of(PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ);

  private DefaultPermissions() {}

  /** The default permissions of a new file ({@code directory} false) or directory. */
  static Set<PosixFilePermission> of(boolean directory) {
    int mode = (directory ? 0777 : 0666) & ~UMASK;
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(BY_BIT.get(bit));
      }
    }
    return perms;
  }

  /** Sets the default permissions on {@code path}, and on the plain files directly inside it when it is a directory. */
  static void apply(Path path) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    view.setPermissions(of(directory));
    if (directory) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path p : entries) {
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(of(false));
          }
        }
      }
    }
  }

  private static int readUmask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).trim(), 8) & 0777;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a kernel before 4.7: fall through to the common default
    }
    return 0022;
  }
}
