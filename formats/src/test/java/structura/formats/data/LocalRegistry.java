package structura.formats.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-file HTTP/1.1 server on localhost for download tests (JDK sockets only): answers every
 * GET with {@code body}, announcing {@code announcedLength} bytes but sending only
 * {@code sentLength} before closing, so a test can simulate an interrupted transfer, or with
 * {@code status} for an error.
 */
final class LocalRegistry implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread thread;
  final AtomicInteger requests = new AtomicInteger();

  LocalRegistry(int status, byte[] body, int sentLength) throws IOException {
    socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    thread = Thread.ofVirtual().start(() -> {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          requests.incrementAndGet();
          InputStream in = s.getInputStream();
          for (int last = 0, c; (c = in.read()) >= 0; ) {   // read the request up to its blank line
            if (c == '\n' && last == '\n') {
              break;
            }
            if (c != '\r') {
              last = c;
            }
          }
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.write(body, 0, sentLength);
          out.flush();
        } catch (IOException e) {
          // the socket was closed by close(), or the client went away: nothing to serve
        }
      }
    });
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
  }

  @Override
  public void close() throws Exception {
    socket.close();
    thread.join();
  }
}
