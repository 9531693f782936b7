package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.SipMessages;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's own non-INVITE server transactions over UDP (RFC 3261 §17.2.2): a copy of the request is
 * absorbed, answered with the last response once there is one; one final response; the checks
 * JAIN-SIP's transaction makes on a response; the lifetime; and where a response goes (RFC 3261
 * §18.2.2, RFC 3581).
 */
class UdpServerTransactionsTest {
  private UdpServerTransactions transactions;
  private DatagramSocket herald;
  private DatagramSocket peer;
  private InetSocketAddress peerAddress;

  @BeforeEach
  void start() throws Exception {
    transactions = new UdpServerTransactions("test", 60_000, 3);
    herald = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peerAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort());
  }

  @AfterEach
  void stop() {
    transactions.close();
    herald.close();
    peer.close();
  }

  @Test
  void aCopyIsAbsorbedSilentlyUntilAResponseThenGetsThatResponse() throws Exception {
    SIPRequest request = request("MESSAGE", "z9hG4bK-a", null);
    UdpServerTransactions.Tx tx = begin("k1", "MESSAGE", -1);
    assertNotSame(UdpServerTransactions.RETRANSMISSION, tx);

    assertTrue(transactions.absorb("k1"), "a copy in Trying is absorbed");
    assertNull(receive(200), "with nothing sent (RFC 3261 §17.2.2)");
    assertSame(UdpServerTransactions.RETRANSMISSION, begin("k1", "MESSAGE", -1));

    tx.send(response(request, 200));
    String sent = receive(3_000);
    assertTrue(sent.startsWith("SIP/2.0 200 "), sent);
    assertTrue(transactions.absorb("k1"));
    assertEquals(sent, receive(3_000), "the same bytes again");
    assertEquals(3, transactions.absorbed());
    assertFalse(transactions.absorb("k2"), "another key is another request");
    assertFalse(transactions.absorb(null));
  }

  @Test
  void provisionalThenOneFinalResponse() throws Exception {
    SIPRequest request = request("MESSAGE", "z9hG4bK-b", null);
    UdpServerTransactions.Tx tx = begin("k", "MESSAGE", -1);
    tx.send(response(request, 100));
    assertTrue(receive(3_000).startsWith("SIP/2.0 100 "));
    tx.send(response(request, 202));
    assertTrue(receive(3_000).startsWith("SIP/2.0 202 "));
    IllegalStateException again =
        assertThrows(IllegalStateException.class, () -> tx.send(response(request, 500)));
    assertTrue(again.getMessage().contains("final response"), again.getMessage());
    assertNull(receive(200), "nothing sent");
    transactions.absorb("k");
    assertTrue(receive(3_000).startsWith("SIP/2.0 202 "), "the final response is the one kept");
  }

  @Test
  void aResponseForAnotherMethodIsRefused() throws Exception {
    SIPRequest request = request("MESSAGE", "z9hG4bK-c", null);
    UdpServerTransactions.Tx tx = begin("k", "PUBLISH", -1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> tx.send(response(request, 200)));
    assertTrue(e.getMessage().contains("MESSAGE in a PUBLISH transaction"), e.getMessage());
  }

  @Test
  void aSubscribe2xxNeedsExpiresNoLongerThanTheRequests() throws Exception {
    SIPRequest request = request("SUBSCRIBE", "z9hG4bK-d", 600);
    UdpServerTransactions.Tx tx = begin("k", "SUBSCRIBE", 600);
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> tx.send(response(request, 200)));
    assertTrue(none.getMessage().contains("without Expires"), none.getMessage());

    Response longer = response(request, 200);
    longer.setHeader(SipMessages.HEADERS.createExpiresHeader(3600));
    IllegalStateException tooLong =
        assertThrows(IllegalStateException.class, () -> tx.send(longer));
    assertTrue(tooLong.getMessage().contains("3600"), tooLong.getMessage());

    Response ok = response(request, 200);
    ok.setHeader(SipMessages.HEADERS.createExpiresHeader(600));
    tx.send(ok);
    assertTrue(receive(3_000).contains("Expires: 600"));
  }

  @Test
  void aFullTableTakesNoMore() {
    assertNotNull(begin("1", "MESSAGE", -1));
    assertNotNull(begin("2", "MESSAGE", -1));
    UdpServerTransactions.Tx third = begin("3", "MESSAGE", -1);
    assertNotNull(third);
    assertNull(begin("4", "MESSAGE", -1), "capacity 3");
    assertSame(UdpServerTransactions.RETRANSMISSION, begin("3", "MESSAGE", -1));
    transactions.forget(third);
    assertEquals(2, transactions.size());
    assertNotNull(begin("4", "MESSAGE", -1), "room again");
    assertFalse(transactions.absorb("3"), "a forgotten transaction absorbs nothing");
  }

  @Test
  void aTransactionGoesAtTheEndOfItsLifetime() throws Exception {
    transactions.close();
    transactions = new UdpServerTransactions("test", 100, 10);
    begin("old", "MESSAGE", -1);
    Thread.sleep(150);
    UdpServerTransactions.Tx young = begin("young", "MESSAGE", -1);
    transactions.sweep();
    assertFalse(transactions.absorb("old"), "past its lifetime");
    assertTrue(transactions.absorb("young"));
    assertNotSame(UdpServerTransactions.RETRANSMISSION, begin("old", "MESSAGE", -1));
    assertNotNull(young);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (transactions.size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // the sweeper's own schedule, every lifetime/8
    }
    assertEquals(0, transactions.size(), "the sweeper empties the table by itself");
  }

  @Test
  void whereAResponseGoes() throws Exception {
    assertEquals(
        new InetSocketAddress("192.0.2.7", 40000),
        UdpServerTransactions.responseDestination(
            via("SIP/2.0/UDP host.example;received=192.0.2.7;rport=40000;branch=z9hG4bK1")),
        "received and rport (RFC 3581)");
    assertEquals(
        new InetSocketAddress("192.0.2.7", 5070),
        UdpServerTransactions.responseDestination(
            via("SIP/2.0/UDP 198.51.100.1:5070;received=192.0.2.7;branch=z9hG4bK1")),
        "received, at the sent-by port");
    assertEquals(
        new InetSocketAddress("198.51.100.1", 5060),
        UdpServerTransactions.responseDestination(via("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK1")),
        "the sent-by host at 5060");
    assertEquals(
        new InetSocketAddress("::1", 5062),
        UdpServerTransactions.responseDestination(via("SIP/2.0/UDP [::1]:5062;branch=z9hG4bK1")));
    assertNull(
        UdpServerTransactions.responseDestination(via("SIP/2.0/UDP host.example;branch=z9hG4bK1")),
        "a host name needs DNS");
    assertNull(
        UdpServerTransactions.responseDestination(
            via("SIP/2.0/UDP 192.0.2.7;maddr=239.1.1.1;branch=z9hG4bK1")),
        "maddr");
    assertNull(
        UdpServerTransactions.responseDestination(via("SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK1")),
        "not UDP");
    assertNull(UdpServerTransactions.responseDestination(null));
  }

  private UdpServerTransactions.Tx begin(String key, String method, int expires) {
    return transactions.begin(key, method, expires, herald, peerAddress, "127.0.0.1:5060");
  }

  private static Via via(String value) throws Exception {
    return (Via)
        ((SIPRequest) parse("OPTIONS sip:x SIP/2.0\r\nVia: " + value + "\r\n" + REST))
            .getTopmostVia();
  }

  private static final String REST =
      "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n"
          + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

  private static SIPRequest request(String method, String branch, Integer expires)
      throws Exception {
    return (SIPRequest)
        parse(
            method
                + " sip:b@herald.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5099;branch="
                + branch
                + "\r\n"
                + "From: <sip:a@herald.test>;tag=1\r\n"
                + "To: <sip:b@herald.test>\r\n"
                + "Call-ID: "
                + branch
                + "\r\n"
                + "CSeq: 1 "
                + method
                + "\r\n"
                + (expires == null ? "" : "Expires: " + expires + "\r\nEvent: presence\r\n")
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
  }

  private static Object parse(String text) throws Exception {
    return new StringMsgParser()
        .parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), true, false, null);
  }

  private static Response response(SIPRequest request, int status) throws Exception {
    return SipMessages.MESSAGES.createResponse(status, request);
  }

  /** The next datagram to the peer within {@code millis}, or null. */
  private String receive(int millis) throws Exception {
    peer.setSoTimeout(millis);
    byte[] in = new byte[65_535];
    DatagramPacket p = new DatagramPacket(in, in.length);
    try {
      peer.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(in, 0, p.getLength(), StandardCharsets.US_ASCII);
  }
}
