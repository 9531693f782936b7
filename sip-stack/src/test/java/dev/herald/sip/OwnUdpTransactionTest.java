package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.dialog.NotifyRequest;
import dev.herald.sip.dialog.SubscriptionDialog;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A NOTIFY over UDP goes through Herald's own client transaction (issue 7): it leaves from the
 * listen point's socket with an RFC 3261 branch and rport, is retransmitted until answered, and its
 * response reaches the callback once with no JAIN-SIP transaction made: a 2xx read on the receive
 * thread, an error response parsed by JAIN-SIP.
 */
class OwnUdpTransactionTest {
  private SipServer server;
  private ListenPoint from;
  private DatagramSocket peer;
  private final List<RequestResult> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    int port = LoopbackSettings.freeUdpPort();
    from = new ListenPoint("udp", "127.0.0.1", port);
    server = SipServer.builder(LoopbackSettings.udp(port)).start();
    peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peer.setSoTimeout(5_000);
  }

  @AfterEach
  void stop() {
    peer.close();
    server.close();
  }

  @Test
  void aNotifyAnsweredOnlyAfterItsRetransmissionEndsOnceWith200() throws Exception {
    server.send(newNotify("127.0.0.1"), outcomes::add);

    DatagramPacket first = receive();
    String request = text(first);
    assertEquals(from.port(), first.getPort(), "sent from the listen point's socket");
    assertTrue(request.startsWith("NOTIFY sip:watcher@127.0.0.1:" + peer.getLocalPort()), request);
    assertTrue(request.contains("Via: SIP/2.0/UDP 127.0.0.1:" + from.port() + ";"), request);
    assertTrue(request.contains(";rport"), request);
    assertTrue(request.contains("branch=z9hG4bK"), request);
    assertTrue(request.contains("User-Agent: Herald/test"), request);
    assertTrue(request.contains("Content-Length: 0"), request);
    assertEquals(0, server.clientTransactionCount(), "no JAIN-SIP transaction");
    assertEquals(1, server.ownTransactionCount());
    assertEquals(1, server.stats().clientTransactions());

    // ignored; the retransmission (Timer E, T1 = 500 ms) is answered
    long sentAt = System.nanoTime();
    DatagramPacket again = receive();
    long gap = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
    assertEquals(request, text(again), "the same request");
    assertTrue(gap >= 400 && gap < 1_500, "after T1: " + gap + " ms");
    answer(again, 200);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (outcomes.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, outcomes.size());
    assertEquals(200, outcomes.get(0).status());
    assertNotNull(outcomes.get(0).response(), "the response's status line");
    assertEquals("Answer", outcomes.get(0).response().getReasonPhrase());
    assertNull(
        outcomes.get(0).response().getHeader(ViaHeader.NAME),
        "read on the receive thread: the status line only");
    assertEquals(0, server.ownTransactionCount());
    assertEquals(0, server.clientTransactionCount());

    answer(again, 200); // a retransmitted 200: a stray now, dropped
    peer.setSoTimeout(1_500);
    try {
      DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
      peer.receive(p);
      throw new AssertionError("nothing more may come: " + text(p));
    } catch (SocketTimeoutException expected) {
      // no retransmission after the final response
    }
    assertEquals(1, outcomes.size(), "told once");
  }

  @Test
  void anErrorResponseReachesTheCallback() throws Exception {
    server.send(newNotify("127.0.0.1"), outcomes::add);
    answer(receive(), 481);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (outcomes.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(481, outcomes.get(0).status());
    assertNotNull(
        outcomes.get(0).response().getHeader(ViaHeader.NAME), "parsed by JAIN-SIP, then taken");
    assertFalse(outcomes.get(0).isSuccess());
  }

  @Test
  void aNotifyToAHostNameStillGoesThroughJainSip() throws Exception {
    server.send(newNotify("localhost"), outcomes::add);
    DatagramPacket p = receive();
    assertEquals(1, server.clientTransactionCount(), "a JAIN-SIP transaction");
    assertEquals(0, server.ownTransactionCount());
    answer(p, 200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (outcomes.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(200, outcomes.get(0).status());
  }

  /** A NOTIFY in the dialog of a SUBSCRIBE from the peer, whose Contact host is {@code host}. */
  private NotifyRequest newNotify(String host) throws Exception {
    Request subscribe =
        SipMessages.MESSAGES.createRequest(
            "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:"
                + peer.getLocalPort()
                + ";branch=z9hG4bK-own-udp\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:watcher@herald.test>;tag=watcher-tag\r\n"
                + "To: <sip:alice@herald.test>\r\n"
                + "Call-ID: own-udp-test@127.0.0.1\r\n"
                + "CSeq: 7 SUBSCRIBE\r\n"
                + "Contact: <sip:watcher@"
                + host
                + ":"
                + peer.getLocalPort()
                + ">\r\n"
                + "Event: presence\r\n"
                + "Content-Length: 0\r\n\r\n");
    return SubscriptionDialog.accept(subscribe, from, "herald-tag")
        .newNotify("presence", "", NotifyRequest.State.of("active", 3600), null, null);
  }

  private DatagramPacket receive() throws Exception {
    peer.setSoTimeout(5_000);
    DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
    peer.receive(p);
    return p;
  }

  private static String text(DatagramPacket p) {
    return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII);
  }

  /** A response echoing the request's Via, From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2). */
  private void answer(DatagramPacket request, int status) throws Exception {
    StringBuilder r = new StringBuilder("SIP/2.0 " + status + " Answer\r\n");
    for (String line : text(request).split("\r\n")) {
      String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
      if (List.of("Via", "From", "To", "Call-ID", "CSeq").contains(name)) {
        r.append(line).append("\r\n");
      }
    }
    byte[] bytes = r.append("Content-Length: 0\r\n\r\n").toString().getBytes();
    peer.send(new DatagramPacket(bytes, bytes.length, request.getSocketAddress()));
  }
}
