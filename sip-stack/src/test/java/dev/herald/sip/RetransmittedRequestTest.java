package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request retransmitted over UDP after its final response is answered from its server transaction
 * (RFC 3261 §17.2.2): the same response again, not a second one (which would carry a new To tag).
 * Herald's server transaction ({@code HeraldServerTransaction}) answers it from the response's kept
 * bytes.
 */
class RetransmittedRequestTest {
  private SipServer server;
  private int port;
  private DatagramSocket client;

  @BeforeEach
  void start() throws Exception {
    port = LoopbackSettings.freeUdpPort();
    server = SipServer.builder(LoopbackSettings.udp(port)).start();
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(5_000);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aRetransmissionAfterTheFinalResponseGetsThatResponseAgain() throws Exception {
    String options =
        options(client.getLocalPort() + ";branch=z9hG4bK-retransmitted", "retransmitted");

    String first = exchange(options);
    assertTrue(first.startsWith("SIP/2.0 200 "), first);
    assertTrue(first.contains(";tag="), "the 200 has a To tag: " + first);
    assertEquals(1, server.stats().serverTransactions(), "one server transaction, Completed");

    String again = exchange(options);
    assertEquals(first, again, "the same response, from the same transaction");
    assertEquals(1, server.stats().serverTransactions());
  }

  @Test
  void withRportTheResponseAndItsRepeatGoToTheSourcePortNotTheViaPort() throws Exception {
    // RFC 3581: rport asks for the response at the port the request came from; the Via's sent-by
    // names another (where nothing listens).
    int elsewhere = LoopbackSettings.freeUdpPort();
    String options = options(elsewhere + ";rport;branch=z9hG4bK-rport", "rport");

    String first = exchange(options);
    assertTrue(first.startsWith("SIP/2.0 200 "), first);
    assertTrue(first.contains(";rport=" + client.getLocalPort()), first);
    assertEquals(first, exchange(options), "the same response, to the same port");
  }

  /** An OPTIONS whose Via is {@code 127.0.0.1:} followed by {@code viaRest}. */
  private static String options(String viaRest, String callId) {
    return "OPTIONS sip:herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + viaRest
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:probe@herald.test>;tag=1\r\n"
        + "To: <sip:herald.test>\r\n"
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
