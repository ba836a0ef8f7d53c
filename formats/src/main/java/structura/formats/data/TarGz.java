package structura.formats.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import structura.formats.DataFormatException;

/**
 * Reads regular files out of a gzip-compressed tar archive (an npm package tarball) with the JDK
 * only. Understands what npm and common tar writers emit: ustar headers with the name prefix
 * field, POSIX pax extended headers ({@code path=}), GNU long names ({@code L}); other entry
 * types (directories, links, global headers) are skipped. Cost: one streaming pass; only the
 * files asked for are held in memory.
 */
public final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {}

  /**
   * The regular files whose path {@code wanted} accepts, by path, in archive order.
   *
   * @throws DataFormatException naming the archive when it is not gzip, is truncated or has a
   *     malformed header
   */
  public static Map<String, byte[]> read(Path archive, Predicate<String> wanted) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
      return read(in, wanted);
    } catch (IOException | IllegalArgumentException e) {
      throw new DataFormatException(archive, 0, "is not a readable .tgz archive: " + e.getMessage(),
          "Delete it and fetch it again.", e);
    }
  }

  private static Map<String, byte[]> read(InputStream in, Predicate<String> wanted) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      if (!readFully(in, header)) {
        return files;   // end of stream without the two zero blocks: tolerated, as tar does
      }
      if (isZero(header)) {
        return files;
      }
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      String name = longName != null ? longName : name(header);
      longName = null;
      switch (type) {
        case 'x', 'L' -> {
          byte[] data = readData(in, size);
          longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
        }
        case '0', '\0', '7' -> {
          if (wanted.test(name)) {
            files.put(name, readData(in, size));
          } else {
            skipData(in, size);
          }
        }
        default -> skipData(in, size);   // directories, links, pax global headers
      }
    }
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The {@code path} record of a pax header ("<len> path=<value>\n" records), or null. */
  private static String paxPath(byte[] data) {
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII).trim());
      if (len <= 0 || i + len > data.length) {
        throw new IllegalArgumentException("malformed pax header");
      }
      String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      if (record.startsWith("path=")) {
        return record.substring(5);
      }
      i += len;
    }
    return null;
  }

  private static long octal(byte[] h, int off, int len) {
    long v = 0;
    int i = off;
    while (i < off + len && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    for (; i < off + len && h[i] >= '0' && h[i] <= '7'; i++) {
      v = v * 8 + (h[i] - '0');
    }
    if ((h[off] & 0x80) != 0) {
      throw new IllegalArgumentException("base-256 sizes (files over 8 GiB) are not supported");
    }
    return v;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    if (n == 0) {
      return false;
    }
    if (n < b.length) {
      throw new EOFException("truncated header");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - BLOCK) {
      throw new IllegalArgumentException("an entry of " + size + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("truncated entry");
    }
    in.skipNBytes(padding(size));
    return data;
  }

  private static void skipData(InputStream in, long size) throws IOException {
    in.skipNBytes(size + padding(size));
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  /** Collects a stream (for tests that build archives). */
  static byte[] bytes(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
