package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP sender that stops in the middle of a message loses its connection after the read timeout.
 */
class SlowSenderTest {
  private SipServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeTcpPort();
    server = SipServer.builder(LoopbackSettings.tcp(port)).tcp(new TcpLimits(10, 500)).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aHalfSentMessageIsCutOffAfterTheReadTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(8_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "OPTIONS sip:herald.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;bra"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      InputStream in = socket.getInputStream();
      int read;
      try {
        read = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("still open after 8 s: no read timeout", e);
      } catch (java.net.SocketException e) {
        read = -1; // reset by the server: closed as well
      }
      long waitedMs = (System.nanoTime() - started) / 1_000_000;

      assertEquals(-1, read, "the server closes the connection, it sends nothing");
      assertTrue(waitedMs >= 400, "closed after the timeout, not at once: " + waitedMs + " ms");
    }
  }
}
