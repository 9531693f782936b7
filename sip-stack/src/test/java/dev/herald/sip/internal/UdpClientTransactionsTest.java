package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.RequestResult;
import dev.herald.sip.SipMessages;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's own non-INVITE client transactions over UDP (RFC 3261 §17.1.2), with T1 = 20 ms and T2 =
 * 160 ms so that Timer F (64*T1) comes after 1.28 s: retransmissions on Timer E, the first final
 * response ends it, Timer F times it out, and the callback hears exactly once.
 */
class UdpClientTransactionsTest {
  private static final long T1 = 20;
  private static final long T2 = 160;

  private UdpClientTransactions transactions;
  private DatagramSocket herald;
  private DatagramSocket peer;
  private final List<RequestResult> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    transactions = new UdpClientTransactions("test", T1, T2);
    herald = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peer.setSoTimeout(3_000);
  }

  @AfterEach
  void stop() {
    transactions.close();
    herald.close();
    peer.close();
  }

  @Test
  void theFirstFinalResponseEndsItAndIsToldOnce() throws Exception {
    String branch = send();
    String first = receive();
    assertTrue(first.contains("branch=" + branch), first);

    assertTrue(transactions.take(response(200, branch, "NOTIFY")));
    assertEquals(1, outcomes.size());
    assertEquals(200, outcomes.get(0).status());
    assertEquals(RequestResult.Kind.RESPONSE, outcomes.get(0).kind());
    assertNotNull(outcomes.get(0).response());
    assertEquals(0, transactions.size());
    // a retransmitted 200 is not ours any more: JAIN-SIP's stray path drops it
    assertFalse(transactions.take(response(200, branch, "NOTIFY")));
    assertEquals(1, outcomes.size());
    assertNoDatagramWithin(4 * T2);
  }

  @Test
  void anUnansweredRequestIsRetransmittedWithTimerEDoublingToT2() throws Exception {
    // from before the first send: a late receive on this thread can only make a time longer
    long start = System.nanoTime();
    String branch = send();
    String original = receive();
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      assertEquals(original, receive(), "a retransmission is the same bytes");
      at.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
    // at T1, 3*T1, 7*T1, 7*T1+T2, 7*T1+2*T2 after the first send (20, 60, 140, 300, 460 ms)
    assertTrue(at.get(0) < 5 * T1, "first retransmission after T1, not T2: " + at);
    assertTrue(at.get(2) >= 5 * T1, "doubling: " + at);
    long gap = at.get(4) - at.get(3);
    assertTrue(gap >= T2 - 40 && gap < 2 * T2, "capped at T2: " + at);
    assertTrue(transactions.take(response(200, branch, "NOTIFY")));
    assertEquals(200, outcomes.get(0).status());
    assertNoDatagramWithin(2 * T2);
  }

  @Test
  void aProvisionalResponseKeepsItRetransmittingAtT2() throws Exception {
    String branch = send();
    receive();
    assertTrue(transactions.take(response(100, branch, "NOTIFY")));
    assertTrue(outcomes.isEmpty(), "a provisional response ends nothing");
    // Timer E keeps firing. Those that fired in Trying before the 100 was taken (at T1, 3*T1 and
    // 7*T1 after the send when this thread is slow) may already wait in the socket: only the gap
    // between the last two of four is sure to come from a firing in Proceeding, which resets
    // Timer E to T2 (RFC 3261 §17.1.2.2). Any gap in Trying before that is at most 4*T1 = 80 ms.
    List<Long> at = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      receive();
      at.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    }
    long lastGap = at.get(3) - at.get(2);
    assertTrue(lastGap >= T2 - 40, "Proceeding: every T2, the last gap was " + lastGap + " ms");
    assertTrue(transactions.take(response(200, branch, "NOTIFY")));
    assertEquals(List.of(200), outcomes.stream().map(RequestResult::status).toList());
  }

  @Test
  void timerFEndsItWithATimeoutOnce() throws Exception {
    String branch = send();
    int datagrams = 0;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(64 * T1 + 1_000);
    while (outcomes.isEmpty() && System.nanoTime() < deadline) {
      try {
        peer.setSoTimeout(50);
        peer.receive(new DatagramPacket(new byte[2048], 2048));
        datagrams++;
      } catch (SocketTimeoutException e) {
        // keep waiting for Timer F
      }
    }
    assertEquals(1, outcomes.size());
    assertEquals(RequestResult.Kind.TIMEOUT, outcomes.get(0).kind());
    assertEquals(408, outcomes.get(0).status());
    // 20, 40, 80, then every 160 ms until 1,280 ms: the first send and 10 retransmissions
    assertTrue(datagrams >= 9 && datagrams <= 12, "sent " + datagrams + " times");
    assertEquals(0, transactions.size());
    assertFalse(transactions.take(response(200, branch, "NOTIFY")), "too late");
    assertEquals(1, outcomes.size());
    assertNoDatagramWithin(2 * T2);
  }

  @Test
  void aResponseForAnotherMethodOrBranchIsNotTaken() throws Exception {
    String branch = send();
    receive();
    assertFalse(transactions.take(response(200, branch, "SUBSCRIBE")));
    assertFalse(transactions.take(response(200, branch + "x", "NOTIFY")));
    assertTrue(outcomes.isEmpty());
    assertTrue(transactions.take(response(200, branch.toUpperCase(), "NOTIFY")), "any case");
    assertEquals(1, outcomes.size());
  }

  @Test
  void a2xxDatagramIsTakenWithoutJainSipParsingIt() throws Exception {
    String branch = send();
    receive();
    // compact and lower-case names, bare LF, a second Via, a body: all as RFC 3261 allows
    String ok =
        "SIP/2.0 202 Accepted for now\n"
            + "v: SIP/2.0/UDP 127.0.0.1:5060;rport=5060;BRANCH="
            + branch.toUpperCase()
            + ";received=127.0.0.1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKother\n"
            + "f: <sip:a@herald.test>;tag=1\nt: <sip:w@herald.test>;tag=2\ni: c1\n"
            + "cseq:  1   NOTIFY\nl: 2\n\nok";
    byte[] bytes = ("xx" + ok).getBytes(StandardCharsets.UTF_8);
    assertTrue(transactions.takeDatagram(bytes, 2, bytes.length - 2));
    assertEquals(1, outcomes.size());
    assertEquals(202, outcomes.get(0).status());
    assertEquals("Accepted for now", outcomes.get(0).response().getReasonPhrase());
    assertEquals(202, outcomes.get(0).response().getStatusCode());
    assertEquals(0, transactions.size());
    assertFalse(transactions.takeDatagram(bytes, 2, bytes.length - 2), "once");
    assertNoDatagramWithin(2 * T2);
  }

  @Test
  void otherDatagramsAreLeftToJainSip() throws Exception {
    String branch = send();
    receive();
    String headers =
        "Via: SIP/2.0/UDP 127.0.0.1;branch="
            + branch
            + "\r\nFrom: <sip:a@herald.test>;tag=1\r\nTo: <sip:w@herald.test>;tag=2\r\n";
    List<String> notOurs =
        List.of(
            // an error response: JAIN-SIP parses it, then take() has it
            "SIP/2.0 481 Gone\r\n" + headers + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n\r\n",
            // a provisional response
            "SIP/2.0 180 Wait\r\n" + headers + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n\r\n",
            // no Call-ID
            "SIP/2.0 200 OK\r\n" + headers + "CSeq: 1 NOTIFY\r\n\r\n",
            // another method
            "SIP/2.0 200 OK\r\n" + headers + "Call-ID: c1\r\nCSeq: 1 SUBSCRIBE\r\n\r\n",
            // a folded line
            "SIP/2.0 200 OK\r\n" + headers + "Call-ID: c1\r\nCSeq: 1\r\n NOTIFY\r\n\r\n",
            // no end of the header section
            "SIP/2.0 200 OK\r\n" + headers + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n",
            // another branch
            "SIP/2.0 200 OK\r\n"
                + headers.replace(branch, branch + "0")
                + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n\r\n",
            // a request
            "NOTIFY sip:x@127.0.0.1 SIP/2.0\r\n"
                + headers
                + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n\r\n",
            "SIP/2.0 2000 OK\r\n" + headers + "Call-ID: c1\r\nCSeq: 1 NOTIFY\r\n\r\n",
            "SIP/2.0");
    for (String datagram : notOurs) {
      byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
      assertFalse(transactions.takeDatagram(bytes, 0, bytes.length), datagram);
    }
    assertTrue(outcomes.isEmpty());
    assertEquals(1, transactions.size());
  }

  @Test
  void aSocketThatCannotSendIsATransportError() throws Exception {
    herald.close();
    send();
    assertEquals(1, outcomes.size());
    assertEquals(RequestResult.Kind.TRANSPORT_ERROR, outcomes.get(0).kind());
    assertEquals(0, transactions.size());
  }

  @Test
  void branchesAreUniqueAndCarryTheMagicCookie() {
    String a = transactions.newBranch();
    String b = transactions.newBranch();
    assertTrue(a.startsWith("z9hG4bK"), a);
    assertFalse(a.equals(b));
    assertFalse(
        a.equals(new UdpClientTransactions("other", T1, T2).newBranch()), "random per table");
  }

  @Test
  void theNextHopIsAnIpAddressOverUdp() throws Exception {
    assertEquals(new InetSocketAddress("127.0.0.1", 5070), hop("sip:w@127.0.0.1:5070"));
    assertEquals(new InetSocketAddress("127.0.0.1", 5060), hop("sip:w@127.0.0.1"));
    assertEquals(new InetSocketAddress("::1", 5062), hop("sip:w@[::1]:5062;transport=udp"));
    assertEquals(new InetSocketAddress("127.0.0.2", 5080), hop("sip:127.0.0.2:5080;lr"));
    // JAIN-SIP's: a host name (DNS), TCP, sips, maddr
    assertNull(hop("sip:w@watcher.test:5070"));
    assertNull(hop("sip:w@127.0.0.1:5070;transport=tcp"));
    assertNull(hop("sips:w@127.0.0.1:5071"));
    assertNull(hop("sip:w@127.0.0.1;maddr=127.0.0.3"));
    assertNull(UdpClientTransactions.ipLiteral("1.2.3"));
    assertNull(UdpClientTransactions.ipLiteral("1.2.3.4.example"));
    assertNull(UdpClientTransactions.ipLiteral("fe80::1%eth0"));
  }

  private static InetSocketAddress hop(String uri) throws Exception {
    return UdpClientTransactions.udpNextHop(SipMessages.ADDRESSES.createURI(uri));
  }

  /** Starts a NOTIFY transaction to the peer and returns its branch. */
  private String send() throws Exception {
    String branch = transactions.newBranch();
    byte[] bytes =
        ("NOTIFY sip:w@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch="
                + branch
                + "\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    transactions.start(
        branch,
        "NOTIFY",
        bytes,
        (InetSocketAddress) peer.getLocalSocketAddress(),
        herald,
        outcomes::add);
    return branch;
  }

  private String receive() throws Exception {
    peer.setSoTimeout(3_000);
    byte[] in = new byte[2048];
    DatagramPacket p = new DatagramPacket(in, in.length);
    peer.receive(p);
    return new String(in, 0, p.getLength(), StandardCharsets.US_ASCII);
  }

  /**
   * Nothing arrives within {@code millis}, once the datagrams sent before the transaction ended (a
   * retransmission may have left just before the response was taken) are read.
   */
  private void assertNoDatagramWithin(long millis) throws Exception {
    peer.setSoTimeout((int) (2 * T1));
    try {
      while (true) {
        peer.receive(new DatagramPacket(new byte[2048], 2048));
      }
    } catch (SocketTimeoutException drained) {
      // what was in flight has been read
    }
    peer.setSoTimeout((int) millis);
    try {
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      peer.receive(p);
      throw new AssertionError("sent after it ended: " + new String(p.getData(), 0, p.getLength()));
    } catch (SocketTimeoutException expected) {
      // nothing more: the transaction is over
    }
  }

  private static SIPResponse response(int status, String branch, String method) throws Exception {
    String text =
        "SIP/2.0 "
            + status
            + " Whatever\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1;branch="
            + branch
            + "\r\nFrom: <sip:a@herald.test>;tag=1\r\nTo: <sip:w@herald.test>;tag=2\r\n"
            + "Call-ID: c1\r\nCSeq: 1 "
            + method
            + "\r\nContent-Length: 0\r\n\r\n";
    SIPResponse r = (SIPResponse) SipMessages.MESSAGES.createResponse(text);
    assertSame(SIPResponse.class, r.getClass());
    return r;
  }
}
