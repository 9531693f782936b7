package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While the application reports more queued work than its limit, a new out-of-dialog request gets
 * 503 with Retry-After, and an in-dialog one still passes (RFC 3261 §21.5.4).
 */
class OverloadRefusalTest {
  private final AtomicLong backlog = new AtomicLong();
  private SipServer server;
  private int port;
  private DatagramSocket client;

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeUdpPort();
    server =
        SipServer.builder(LoopbackSettings.udp(port))
            .overload(new OverloadLimits(0, 100, 7), backlog::get)
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
  void newRequestsAreRefusedWhileOverloadedAndTakenAfter() throws Exception {
    backlog.set(101);
    String refused = exchange(options("over-1", null));
    assertTrue(
        refused.startsWith("SIP/2.0 503 Service Unavailable (overloaded: 101 tasks waiting)"),
        refused);
    assertTrue(refused.contains("\r\nRetry-After: 7\r\n"), refused);
    assertTrue(refused.contains("\r\nTo: <sip:herald.test>;tag="), refused);
    assertEquals(1, server.refusedAtIntake(), "refused on the receive thread, unparsed");

    String inDialog = exchange(options("over-2", "herald-tag"));
    assertTrue(inDialog.startsWith("SIP/2.0 200 "), "an in-dialog request passes: " + inDialog);

    backlog.set(100);
    String taken = exchange(options("over-3", null));
    assertTrue(taken.startsWith("SIP/2.0 200 "), taken);
  }

  @Test
  void aRetransmissionWhileOverloadedGetsItsTransactionsResponseNot503() throws Exception {
    String options = options("answered-1", null);
    String first = exchange(options);
    assertTrue(first.startsWith("SIP/2.0 200 "), first);

    backlog.set(101);
    String again = exchange(options);
    assertEquals(first, again, "the 200 again, from the server transaction (Timer J)");
    assertEquals(0, server.refusedAtIntake());

    String refused = exchange(options("answered-2", null));
    assertTrue(refused.startsWith("SIP/2.0 503 "), "a new request is refused: " + refused);
  }

  @Test
  void aSourceOverItsRateGets503AndOthersAreServed() throws Exception {
    server.close();
    server =
        SipServer.builder(LoopbackSettings.udp(port))
            .rateLimit(new RateLimit(1, 2), source -> false)
            .start();

    assertTrue(exchange(options("rate-1", null)).startsWith("SIP/2.0 200 "));
    assertTrue(exchange(options("rate-2", null)).startsWith("SIP/2.0 200 "));
    String refused = exchange(options("rate-3", null));
    assertTrue(
        refused.startsWith(
            "SIP/2.0 503 Service Unavailable (more than 1 requests/s from 127.0.0.1)"),
        refused);
    assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
    assertEquals(0, server.refusedAtIntake(), "a source's rate is checked on the full path");
  }

  private String options(String callId, String toTag) {
    return "OPTIONS sip:herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + client.getLocalPort()
        + ";branch=z9hG4bK-"
        + callId
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:probe@herald.test>;tag=1\r\n"
        + "To: <sip:herald.test>"
        + (toTag == null ? "" : ";tag=" + toTag)
        + "\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  private String exchange(String message) throws Exception {
    byte[] out = message.getBytes(StandardCharsets.US_ASCII);
    client.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
    byte[] in = new byte[65_535];
    DatagramPacket reply = new DatagramPacket(in, in.length);
    client.receive(reply);
    return new String(in, 0, reply.getLength(), StandardCharsets.US_ASCII);
  }
}
