package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request sent over UDP through a JAIN-SIP client transaction and answered leaves the stack after
 * {@link SipServer#COMPLETED_LINGER_MS}, not after T4 (5 s): Completed transactions were most of
 * what young collections copied under fan-out (BENCHMARKS.md). A MESSAGE, as a NOTIFY over UDP now
 * takes Herald's own transactions ({@link OwnUdpTransactionTest}).
 */
class ClientTransactionLingerTest {
  private SipServer server;
  private ListenPoint from;
  private DatagramSocket peer;

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
  void anAnsweredUdpTransactionIsGoneWithinASecond() throws Exception {
    CompletableFuture<RequestResult> outcome = new CompletableFuture<>();
    server.send(newMessage(), from, outcome::complete);

    byte[] in = new byte[65_535];
    DatagramPacket received = new DatagramPacket(in, in.length);
    peer.receive(received);
    String request = new String(in, 0, received.getLength(), StandardCharsets.US_ASCII);
    byte[] ok = okFor(request).getBytes(StandardCharsets.US_ASCII);
    peer.send(new DatagramPacket(ok, ok.length, received.getSocketAddress()));

    assertEquals(200, outcome.get(5, TimeUnit.SECONDS).status());
    assertEquals(1, server.clientTransactionCount(), "Completed until the linger ends");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (server.clientTransactionCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.clientTransactionCount(), "still held after 3 s: Timer K is T4 again");
  }

  private Request newMessage() throws Exception {
    SipURI target = SipMessages.ADDRESSES.createSipURI("watcher", "127.0.0.1");
    target.setPort(peer.getLocalPort());
    FromHeader fromHeader =
        SipMessages.HEADERS.createFromHeader(
            SipMessages.ADDRESSES.createAddress("sip:alice@herald.test"), "herald-tag");
    ToHeader to =
        SipMessages.HEADERS.createToHeader(
            SipMessages.ADDRESSES.createAddress("sip:watcher@herald.test"), "watcher-tag");
    CallIdHeader callId = SipMessages.HEADERS.createCallIdHeader("linger-test@127.0.0.1");
    CSeqHeader cseq = SipMessages.HEADERS.createCSeqHeader(1L, Request.MESSAGE);
    MaxForwardsHeader maxForwards = SipMessages.HEADERS.createMaxForwardsHeader(70);
    Request r =
        SipMessages.MESSAGES.createRequest(
            target,
            Request.MESSAGE,
            callId,
            cseq,
            fromHeader,
            to,
            List.<ViaHeader>of(),
            maxForwards);
    return r;
  }

  /** A 200 echoing the request's Via, From, To, Call-ID and CSeq lines (RFC 3261 §8.2.6.2). */
  private static String okFor(String request) {
    StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
    for (String line : request.split("\r\n")) {
      String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
      if (List.of("Via", "From", "To", "Call-ID", "CSeq").contains(name)) {
        ok.append(line).append("\r\n");
      }
    }
    assertTrue(ok.toString().contains("Via:"), request);
    return ok.append("Content-Length: 0\r\n\r\n").toString();
  }
}
