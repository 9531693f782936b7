package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle TCP connections (TcpLimits#idleTimeoutMillis, 1 s here) are closed and forgotten: the
 * socket, Herald's count and JAIN-SIP's channel table; a connection that carries keep-alives (RFC
 * 5626 §4.4.1, CRLFCRLF) or a live registration stays. Raw sockets on loopback.
 */
class IdleConnectionTest {
  private static final long IDLE_MS = 1_000;

  private SipServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeTcpPort();
    server =
        SipServer.builder(LoopbackSettings.tcp(port))
            .tcp(new TcpLimits(10, 10_000, IDLE_MS))
            .handle(
                "REGISTER",
                in -> {
                  Response ok = in.createResponse(Response.OK, "OK");
                  try {
                    ok.setHeader(SipMessages.HEADERS.createExpiresHeader(60));
                  } catch (javax.sip.InvalidArgumentException e) {
                    throw new IllegalStateException(e);
                  }
                  in.respond(ok);
                })
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anIdleConnectionIsClosedAndForgottenAndOneWithKeepAlivesIsNot() throws Exception {
    ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor();
    try (Socket idle = connect();
        Socket busy = connect()) {
      awaitCount("two connections open", server::openTcpConnections, 2);
      awaitCount("two channels in JAIN-SIP", server::tcpChannelCount, 2);
      long started = System.nanoTime();
      // RFC 5626 §4.4.1 keep-alives on one connection, every quarter of the timeout.
      keepAlives.scheduleAtFixedRate(
          () -> write(busy, "\r\n\r\n"), 0, IDLE_MS / 4, TimeUnit.MILLISECONDS);

      assertClosedByServer(idle, started);
      awaitCount("the idle connection forgotten", server::openTcpConnections, 1);
      awaitCount("its channel gone from JAIN-SIP", server::tcpChannelCount, 1);
      Thread.sleep(2 * IDLE_MS);
      assertEquals(200, options(busy, 1), "the busy connection still carries requests");
      assertEquals(1, server.openTcpConnections());
    } finally {
      keepAlives.shutdownNow();
    }
    awaitCount("every connection forgotten once the peer closed", server::openTcpConnections, 0);
    awaitCount("every channel gone", server::tcpChannelCount, 0);
  }

  /**
   * RFC 5626 §4.4.1: a CRLFCRLF ping gets a CRLF pong, also as the first thing on a connection
   * (JAIN-SIP did not know the connection's transport before a request, threw NullPointerException
   * and sent nothing), and the connection still carries requests after it.
   */
  @Test
  void aKeepAliveBeforeAnyRequestGetsItsPong() throws Exception {
    try (Socket fresh = connect()) {
      write(fresh, "\r\n\r\n");
      InputStream in = fresh.getInputStream();
      assertEquals('\r', in.read(), "pong");
      assertEquals('\n', in.read(), "pong");
      assertEquals(200, options(fresh, 1));
      write(fresh, "\r\n\r\n");
      assertEquals('\r', in.read(), "second pong");
      assertEquals('\n', in.read(), "second pong");
    }
  }

  /**
   * A request followed by blank lines that read as a keep-alive (SIPp's scenarios end so), on a
   * connection the client then closes: the pong has nowhere to go and is dropped. JAIN-SIP tried to
   * connect back to the client's port for it and logged "Could not connect" at ERROR (soak).
   */
  @Test
  void aPongForAClosedConnectionIsDroppedWithoutAnError() throws Exception {
    ch.qos.logback.classic.Logger gov =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("gov.nist");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> recorded =
        new ch.qos.logback.core.read.ListAppender<>();
    recorded.start();
    gov.addAppender(recorded);
    try {
      for (int i = 1; i <= 20; i++) {
        try (Socket s = connect()) {
          assertEquals(200, send(s, request("OPTIONS", i) + "\r\n\r\n"));
        }
      }
      Thread.sleep(1_000);
      assertEquals(
          java.util.List.of(),
          recorded.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
              .map(e -> e.getFormattedMessage())
              .toList());
    } finally {
      gov.detachAppender(recorded);
    }
  }

  /** A 2xx to REGISTER holds the connection for the Expires granted (60 s here). */
  @Test
  void aConnectionThatCarriesALiveRegistrationStaysOpenWhenIdle() throws Exception {
    try (Socket registered = connect()) {
      assertEquals(200, send(registered, request("REGISTER", 1)));

      Thread.sleep(3 * IDLE_MS);

      assertEquals(200, options(registered, 2), "still open after three idle timeouts");
      assertEquals(1, server.openTcpConnections());
    }
  }

  @Test
  void grantedSecondsIsTheLongestOfExpiresAndTheContacts() throws Exception {
    Response r =
        SipMessages.MESSAGES.createResponse(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKg\r\n"
                + "From: <sip:a@herald.test>;tag=1\r\nTo: <sip:a@herald.test>;tag=2\r\n"
                + "Call-ID: g\r\nCSeq: 1 REGISTER\r\nExpires: 30\r\n"
                + "Contact: <sip:a@127.0.0.1:5099>;expires=600\r\n"
                + "Contact: <sip:a@127.0.0.1:5098>;expires=90\r\nContent-Length: 0\r\n\r\n");
    assertEquals(600, IncomingRequest.grantedSeconds(r));
  }

  // ---------------------------------------------------------------- helpers

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(5_000);
    return s;
  }

  private static void assertClosedByServer(Socket socket, long startedNanos) throws IOException {
    InputStream in = socket.getInputStream();
    int read;
    try {
      read = in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the idle connection is still open", e);
    } catch (SocketException e) {
      read = -1; // reset by the server: closed as well
    }
    long waitedMs = (System.nanoTime() - startedNanos) / 1_000_000;
    assertEquals(-1, read, "the server closes the connection, it sends nothing");
    assertTrue(waitedMs >= IDLE_MS - 100, "closed after the timeout, not at once: " + waitedMs);
  }

  private int options(Socket socket, int cseq) throws IOException {
    return send(socket, request("OPTIONS", cseq));
  }

  private String request(String method, int cseq) {
    return method
        + " sip:herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKidle"
        + method
        + cseq
        + System.nanoTime()
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:probe@herald.test>;tag=idle\r\n"
        + "To: <sip:probe@herald.test>\r\n"
        + "Call-ID: idle-"
        + port
        + "\r\n"
        + "CSeq: "
        + cseq
        + " "
        + method
        + "\r\n"
        + "Contact: <sip:probe@127.0.0.1:5099;transport=tcp>\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** Writes {@code text} whole, never in the middle of another write on the same socket. */
  private static void write(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      synchronized (out) {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request and returns the status of the final response that comes back on it. */
  private static int send(Socket socket, String request) throws IOException {
    write(socket, request);
    StringBuilder text = new StringBuilder();
    InputStream in = socket.getInputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        fail("connection closed before a response; read: " + text);
      }
      text.append((char) b);
      int start = text.indexOf("SIP/2.0 ");
      if (start >= 0 && text.indexOf("\r\n\r\n", start) > 0) {
        int status = Integer.parseInt(text.substring(start + 8, start + 11));
        if (status >= 200) {
          return status;
        }
        text.setLength(0);
      }
    }
  }

  private static void awaitCount(String what, IntSupplier count, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (count.getAsInt() != expected) {
      if (System.nanoTime() - deadline > 0) {
        fail(what + ": expected " + expected + ", was " + count.getAsInt());
      }
      Thread.sleep(20);
    }
  }
}
