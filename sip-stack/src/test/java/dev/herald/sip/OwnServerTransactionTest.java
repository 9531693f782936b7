package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.herald.sip.internal.Slf4jServerLogger;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A non-INVITE request over UDP gets Herald's own server transaction ({@code
 * UdpServerTransactions}, issue 7): its handler runs once however often the request comes, a copy
 * that comes before the answer is absorbed (RFC 3261 §17.2.2, Trying), a copy after it gets the
 * same response again. A request whose response must go elsewhere than an IP address over UDP (a
 * Via maddr) keeps JAIN-SIP's transaction.
 */
class OwnServerTransactionTest {
  private SipServer server;
  private int port;
  private DatagramSocket client;
  private final AtomicInteger handled = new AtomicInteger();
  private final BlockingQueue<IncomingRequest> waiting = new ArrayBlockingQueue<>(8);

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeUdpPort();
    server =
        SipServer.builder(LoopbackSettings.udp(port))
            .handle(
                "MESSAGE",
                in -> {
                  handled.incrementAndGet();
                  waiting.add(in); // answered by the test, later
                })
            .start();
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(5_000);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void copiesBeforeTheAnswerAreAbsorbedAndCopiesAfterItGetTheSameResponse() throws Exception {
    String message = message(client.getLocalPort() + ";branch=z9hG4bK-own-1", "own-1");
    send(message);
    IncomingRequest in = waiting.poll(5, TimeUnit.SECONDS);
    assertTrue(in != null, "the handler ran");
    send(message);
    send(message);
    assertNull(receive(300), "a copy in Trying gets nothing (RFC 3261 §17.2.2)");

    in.respond(Response.OK, "OK");
    String first = receive(5_000);
    assertTrue(first != null && first.startsWith("SIP/2.0 200 OK\r\n"), String.valueOf(first));
    assertTrue(first.contains(";tag="), "the 200 has a To tag: " + first);

    send(message);
    assertEquals(first, receive(5_000), "the same response again, To tag and all");
    assertNull(receive(300), "and only once per copy");
    assertEquals(1, handled.get(), "the handler ran once for four copies");
    assertEquals(1, server.ownServerTransactionCount(), "Herald's own transaction");
    assertEquals(1, server.stats().serverTransactions());
  }

  @Test
  void theMessageTraceTurnedOnMidTransactionDoesNotRunTheHandlerAgain() throws Exception {
    String message = message(client.getLocalPort() + ";branch=z9hG4bK-own-3", "own-3");
    send(message);
    IncomingRequest in = waiting.poll(5, TimeUnit.SECONDS);
    assertTrue(in != null, "the handler ran");
    Logger trace = (Logger) LoggerFactory.getLogger(Slf4jServerLogger.TRACE_LOGGER);
    Level before = trace.getLevel();
    trace.setLevel(Level.INFO); // as a logback reload would, while the transaction is in Trying
    try {
      send(message);
      assertNull(receive(300), "the copy in Trying is still absorbed");
      in.respond(Response.OK, "OK");
      String first = receive(5_000);
      assertTrue(first != null && first.startsWith("SIP/2.0 200 OK\r\n"), String.valueOf(first));
      send(message);
      assertEquals(first, receive(5_000), "the copy after the answer gets the same response");
      assertEquals(1, handled.get(), "the handler ran once");

      // a new request while the trace is on takes JAIN-SIP's transaction, as before
      send(message(client.getLocalPort() + ";branch=z9hG4bK-stock-3", "stock-3"));
      IncomingRequest traced = waiting.poll(5, TimeUnit.SECONDS);
      assertTrue(traced != null, "the second request's handler ran");
      assertEquals(1, server.ownServerTransactionCount(), "only the first is Herald's own");
      traced.respond(Response.OK, "OK");
      assertTrue(String.valueOf(receive(5_000)).startsWith("SIP/2.0 200 OK\r\n"));
      assertEquals(2, handled.get());
    } finally {
      trace.setLevel(before);
    }
  }

  @Test
  void aResponseToAMaddrKeepsJainSipsTransaction() throws Exception {
    String message =
        message(client.getLocalPort() + ";maddr=127.0.0.1;branch=z9hG4bK-stock-1", "stock-1");
    send(message);
    IncomingRequest in = waiting.poll(5, TimeUnit.SECONDS);
    assertTrue(in != null, "the handler ran");
    assertEquals(0, server.ownServerTransactionCount(), "not one of Herald's own");
    assertEquals(1, server.stats().serverTransactions(), "JAIN-SIP's");
    in.respond(Response.OK, "OK");
    String first = receive(5_000);
    assertTrue(first != null && first.startsWith("SIP/2.0 200 OK\r\n"), String.valueOf(first));
    send(message);
    assertEquals(first, receive(5_000), "JAIN-SIP's transaction answers the copy");
    assertEquals(1, handled.get());
  }

  @Test
  void aSecondFinalResponseIsNotSent() throws Exception {
    send(message(client.getLocalPort() + ";branch=z9hG4bK-own-2", "own-2"));
    IncomingRequest in = waiting.poll(5, TimeUnit.SECONDS);
    assertTrue(in != null, "the handler ran");
    in.respond(Response.OK, "OK");
    assertTrue(receive(5_000).startsWith("SIP/2.0 200 "));
    in.respond(Response.SERVER_INTERNAL_ERROR, "again");
    assertNull(receive(300), "IncomingRequest answers once");
  }

  /** A MESSAGE whose Via is {@code 127.0.0.1:} followed by {@code viaRest}. */
  private static String message(String viaRest, String callId) {
    return "MESSAGE sip:bob@herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + viaRest
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:alice@herald.test>;tag=1\r\n"
        + "To: <sip:bob@herald.test>\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 MESSAGE\r\n"
        + "Content-Type: text/plain\r\n"
        + "Content-Length: 2\r\n\r\nhi";
  }

  private void send(String message) throws Exception {
    byte[] out = message.getBytes(StandardCharsets.US_ASCII);
    client.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
  }

  /** The next datagram within {@code millis}, or null. */
  private String receive(int millis) throws Exception {
    client.setSoTimeout(millis);
    byte[] in = new byte[65_535];
    DatagramPacket reply = new DatagramPacket(in, in.length);
    try {
      client.receive(reply);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(in, 0, reply.getLength(), StandardCharsets.US_ASCII);
  }
}
