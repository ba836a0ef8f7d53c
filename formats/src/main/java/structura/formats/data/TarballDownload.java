package structura.formats.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.formats.io.OutputTransaction;

/**
 * Downloads a pinned npm tarball into a downloads folder and checks it: the SHA-512 of the bytes
 * received must equal the pin's integrity, and, when the server sends a length, all bytes must
 * have arrived. The file is written through an {@link OutputTransaction}: it appears under its
 * name only once complete and checked, so an interrupted or tampered download leaves nothing
 * (and a later run never mistakes a partial file for the package). A copy already present with
 * the right hash is used without a download.
 */
public final class TarballDownload {
  /** Told how many bytes have arrived; {@code total} is -1 when the server sent no length. */
  @FunctionalInterface
  public interface Progress {
    void bytes(long received, long total);

    /** Says nothing. */
    Progress NONE = (received, total) -> {};
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final int REPORT_EVERY = 1 << 20;

  private TarballDownload() {}

  /**
   * The checked tarball {@code downloads/<fileName>}, downloaded from {@code registry} unless a
   * copy with the pinned hash is there. Cost: one pass over the file (hash), one download.
   *
   * @throws StructuraException DOWNLOAD_FAILED when the registry cannot be reached, answers with
   *     an error, the transfer stops early, or the bytes do not match the pinned integrity (nothing
   *     is written then); OUTPUT_UNWRITABLE when the folder cannot be written
   */
  public static Path fetch(NpmTarball tarball, Path downloads, URI registry, Progress progress) {
    Path target = downloads.resolve(tarball.fileName()).toAbsolutePath().normalize();
    if (Files.isRegularFile(target) && tarball.integrity().equals(integrityOf(target))) {
      return target;
    }
    URI url = tarball.url(registry);
    try (OutputTransaction outputs = new OutputTransaction(true)) {
      Path staged = outputs.file(target);
      HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(CONNECT_TIMEOUT).build();
      HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha512 = sha512();
      long received = 0;
      long total = response.headers().firstValueAsLong("content-length").orElse(-1);
      try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(staged)) {
        if (response.statusCode() != 200) {
          throw failed(tarball, url, "the registry answered HTTP " + response.statusCode() + ".", null);
        }
        byte[] buffer = new byte[1 << 16];
        long reported = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          sha512.update(buffer, 0, n);
          received += n;
          if (received - reported >= REPORT_EVERY) {
            progress.bytes(received, total);
            reported = received;
          }
        }
      }
      progress.bytes(received, total);
      if (total >= 0 && received != total) {
        throw failed(tarball, url, "the transfer stopped after " + received + " of " + total + " bytes.", null);
      }
      String got = "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
      if (!got.equals(tarball.integrity())) {
        throw failed(tarball, url, "integrity check failed: expected " + tarball.integrity() + ", got " + got + ".", null);
      }
      outputs.commit();
      return target;
    } catch (IOException e) {
      throw failed(tarball, url, "the download failed: " + e + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(tarball, url, "the download was interrupted.", e);
    }
  }

  /** {@code sha512-<base64>} of a file, or null when it cannot be read. */
  static String integrityOf(Path file) {
    MessageDigest sha512 = sha512();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha512.update(buffer, 0, n);
      }
    } catch (IOException e) {
      return null;
    }
    return "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }

  private static StructuraException failed(NpmTarball t, URI url, String detail, Throwable cause) {
    return new StructuraException(ErrorCode.DOWNLOAD_FAILED, t.name() + "@" + t.version() + " from " + url + ": " + detail
        + " Nothing was written.", "Check the network connection (and a proxy: -Dhttps.proxyHost) and run again; an "
        + "integrity mismatch means the registry served other bytes than the pinned package: do not use them.", cause);
  }
}
