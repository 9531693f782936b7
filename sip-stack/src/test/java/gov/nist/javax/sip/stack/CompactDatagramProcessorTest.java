package gov.nist.javax.sip.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompactDatagramProcessorTest {

  @Test
  void rightSizedCopiesExactlyTheReceivedBytesAndTheSender() throws Exception {
    byte[] buffer = new byte[65_536];
    byte[] payload = "OPTIONS sip:herald.test SIP/2.0\r\n".getBytes();
    System.arraycopy(payload, 0, buffer, 7, payload.length);
    DatagramPacket received = new DatagramPacket(buffer, 7, payload.length);
    received.setAddress(InetAddress.getLoopbackAddress());
    received.setPort(5070);

    DatagramPacket copy =
        CompactDatagramProcessorFactory.CompactDatagramProcessor.rightSized(received);

    assertEquals(payload.length, copy.getData().length);
    assertEquals(0, copy.getOffset());
    assertEquals(payload.length, copy.getLength());
    assertArrayEquals(payload, copy.getData());
    assertEquals(InetAddress.getLoopbackAddress(), copy.getAddress());
    assertEquals(5070, copy.getPort());

    buffer[7] = 'X';
    assertEquals('O', copy.getData()[0], "the copy must not share the reused buffer");
  }

  /**
   * Issue 7: the overload valve counted every queued datagram, so under fan-out the NOTIFY answers
   * (five per PUBLISH) filled its limit and PUBLISHes got 503. Only requests count now.
   */
  @Test
  void theIntakeQueueCountsRequestsOnlyAsTheyComeAndGo() throws Exception {
    CompactDatagramProcessorFactory.RequestCountingQueue queue =
        new CompactDatagramProcessorFactory.RequestCountingQueue();
    DatagramQueuedMessageDispatch publish = datagram("PUBLISH sip:alice@herald.test SIP/2.0\r\n");
    DatagramQueuedMessageDispatch ok = datagram("SIP/2.0 200 OK\r\n");
    DatagramQueuedMessageDispatch late = datagram("\r\nSIP/2.0 200 OK\r\n");
    DatagramQueuedMessageDispatch subscribe =
        datagram("\r\nSUBSCRIBE sip:b@herald.test SIP/2.0\r\n");
    DatagramQueuedMessageDispatch keepAlive = datagram("\r\n\r\n");

    for (DatagramQueuedMessageDispatch d : List.of(ok, publish, late, ok, subscribe, keepAlive)) {
      queue.offer(d);
    }
    assertEquals(6, queue.size());
    assertEquals(2, queue.requests(), "responses and keep-alives are not requests");

    assertSame(ok, queue.take());
    assertEquals(2, queue.requests());
    assertSame(publish, queue.poll(1, TimeUnit.SECONDS));
    assertEquals(1, queue.requests());
    queue.take();
    queue.take();
    assertSame(subscribe, queue.poll());
    assertEquals(0, queue.requests());
    assertSame(keepAlive, queue.take());
    assertEquals(0, queue.requests());
    assertNull(queue.poll(1, TimeUnit.MILLISECONDS));
    assertEquals(0, queue.requests());
  }

  /**
   * Issue 7: a request retransmitted while its first copy still waits in the queue is not queued
   * again; once the first is taken, a copy goes on (JAIN-SIP's transaction answers it).
   */
  @Test
  void aCopyOfARequestStillQueuedIsDroppedAndOneAfterItWasTakenIsQueued() throws Exception {
    CompactDatagramProcessorFactory.RequestCountingQueue queue =
        new CompactDatagramProcessorFactory.RequestCountingQueue();
    String subscribe = request("SUBSCRIBE", "z9hG4bK-a");

    assertTrue(queue.offerReceived(packet(subscribe, 5070), 0));
    assertFalse(queue.offerReceived(packet(subscribe, 5070), 0), "the same request again");
    assertFalse(
        queue.offerReceived(packet(subscribe.replace("z9hG4bK-a", "Z9HG4BK-A"), 5070), 0),
        "branches match ignoring case (RFC 3261 §17.2.3)");
    assertTrue(queue.offerReceived(packet(subscribe, 5071), 0), "from another source");
    assertTrue(
        queue.offerReceived(packet(request("CANCEL", "z9hG4bK-a"), 5070), 0), "another method");
    assertTrue(
        queue.offerReceived(packet(subscribe.replace("z9hG4bK-a", "old-2543"), 5070), 0),
        "without the RFC 3261 cookie: no key, always queued");
    assertTrue(queue.offerReceived(packet(subscribe.replace("z9hG4bK-a", "old-2543"), 5070), 0));
    String ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-a\r\n\r\n";
    assertTrue(queue.offerReceived(packet(ok, 5070), 0));
    assertTrue(queue.offerReceived(packet(ok, 5070), 0), "responses are never dropped");
    assertEquals(2, queue.copiesDropped());
    assertEquals(7, queue.size());
    assertEquals(5, queue.requests());

    // the receive thread asks first (before its overload check), then offers with the key
    String key = queue.keyOf(packet(subscribe, 5070));
    assertTrue(queue.dropsCopy(key), "still queued: a copy");
    assertFalse(queue.dropsCopy(queue.keyOf(packet(ok, 5070))), "a response has no key");
    assertEquals(3, queue.copiesDropped());

    queue.take(); // the first SUBSCRIBE
    assertFalse(queue.dropsCopy(key), "taken");
    assertTrue(queue.offerReceived(packet(subscribe, 5070), 0, key), "taken: a copy goes on now");
    assertFalse(queue.offerReceived(packet(subscribe, 5070), 0));
    assertEquals(4, queue.copiesDropped());
  }

  private static String request(String method, String branch) {
    return method
        + " sip:b@herald.test SIP/2.0\r\n"
        + "Max-Forwards: 70\r\n"
        + "v: SIP/2.0/UDP 127.0.0.1:5070;rport;branch="
        + branch
        + "\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n\r\n";
  }

  private static DatagramPacket packet(String text, int port) throws Exception {
    byte[] b = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
    return new DatagramPacket(b, 2, b.length - 2, java.net.InetAddress.getLoopbackAddress(), port);
  }

  private static DatagramQueuedMessageDispatch datagram(String text) throws Exception {
    byte[] b = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
    DatagramPacket p = new DatagramPacket(b, 2, b.length - 2); // an offset, as a reader may leave
    return new DatagramQueuedMessageDispatch(p, 0);
  }
}
