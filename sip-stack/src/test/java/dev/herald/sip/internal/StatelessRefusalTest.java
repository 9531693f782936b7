package dev.herald.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A 503 made from a request datagram's bytes, and the requests left to the full path. */
class StatelessRefusalTest {
  private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

  @Test
  void aSubscribeWithRportIsAnsweredAtItsSourcePortWithItsHeadersCopied() throws Exception {
    String request =
        "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-0, SIP/2.0/UDP 10.0.0.8;branch=z9hG4bK-x\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:bob@herald.test>;tag=b1\r\n"
            + "To: <sip:alice@herald.test>\r\n"
            + "Call-ID: c1@127.0.0.1\r\n"
            + "CSeq: 7 SUBSCRIBE\r\n"
            + "Event: presence\r\n"
            + "Content-Length: 0\r\n\r\n";

    DatagramPacket out = refuse(request, 40000);

    String response = text(out);
    assertEquals(40000, out.getPort(), "rport: to the source port");
    assertEquals(SOURCE, out.getAddress());
    assertTrue(
        response.startsWith("SIP/2.0 503 Service Unavailable (overloaded: x)\r\n"), response);
    assertTrue(
        response.contains(
            "\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport=40000;received=127.0.0.1\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-0, SIP/2.0/UDP 10.0.0.8;branch=z9hG4bK-x\r\n"
                + "From: <sip:bob@herald.test>;tag=b1\r\n"
                + "To: <sip:alice@herald.test>;tag="),
        response);
    assertTrue(response.contains("\r\nCall-ID: c1@127.0.0.1\r\nCSeq: 7 SUBSCRIBE\r\n"), response);
    assertTrue(response.contains("\r\nServer: Herald/test\r\n"), response);
    assertTrue(response.contains("\r\nRetry-After: 5\r\n"), response);
    assertTrue(response.endsWith("\r\nContent-Length: 0\r\n\r\n"), response);
    assertTrue(!response.contains("Event:") && !response.contains("Max-Forwards"), response);
  }

  @Test
  void withoutRportItGoesToTheViaPortAndNamesTheSourceWhenTheHostDiffers() throws Exception {
    String request =
        "OPTIONS sip:herald.test SIP/2.0\n" // LF-only lines are read too
            + "v: SIP/2.0/UDP phone.example:5080;branch=z9hG4bK-2\n"
            + "f: <sip:bob@herald.test>;tag=b2\n"
            + "t: sip:herald.test\n"
            + "i: c2\n"
            + "CSeq: 1 OPTIONS\n\n";

    DatagramPacket out = refuse(request, 40000);

    String response = text(out);
    assertEquals(5080, out.getPort());
    assertTrue(
        response.contains(
            "\r\nVia: SIP/2.0/UDP phone.example:5080;branch=z9hG4bK-2;received=127.0.0.1\r\n"),
        response);
    assertTrue(response.contains("\r\nt: sip:herald.test;tag="), response);
    assertTrue(response.contains("\r\ni: c2\r\n"), response);
  }

  @Test
  void aViaWithoutPortMeans5060() throws Exception {
    DatagramPacket out = refuse(options("").replace("127.0.0.1:5070", "127.0.0.1"), 40000);
    assertEquals(5060, out.getPort());
  }

  @Test
  void theHeadersBytesAreCopiedAsTheyCame() throws Exception {
    byte[] name = "\"Zoë Ä\" ".getBytes(StandardCharsets.UTF_8);
    String head =
        "OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-4\r\n"
            + "From: ";
    String tail =
        "<sip:zoe@herald.test>;tag=z\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: c4\r\n"
            + "CSeq: 1 OPTIONS\r\n\r\n";
    byte[] request = concat(head.getBytes(StandardCharsets.US_ASCII), name, tail.getBytes());

    StatelessRefusal refusal = StatelessRefusal.read(request, 0, request.length);
    assertNotNull(refusal);
    DatagramPacket out = refusal.refusal(SOURCE, 40000, "Service Unavailable", 5, "Herald/test");

    byte[] expected =
        concat("From: ".getBytes(StandardCharsets.US_ASCII), name, "<sip:zoe@".getBytes());
    byte[] body = Arrays.copyOf(out.getData(), out.getLength());
    assertTrue(indexOf(body, expected) > 0, "the From header's bytes, unchanged");
  }

  @Test
  void aRequestInADialogIsLeftToTheFullPath() {
    assertNull(read(options("To: <sip:herald.test>;tag=t1")));
    assertNull(read(options("To: <sip:herald.test> ; TAG = t1")));
    assertNull(read(options("To: sip:herald.test;tag=t1")));
  }

  @Test
  void aTagParameterInsideTheUriIsNotADialogTag() {
    assertNotNull(read(options("To: <sip:herald.test;tag=uri-param>")));
  }

  @Test
  void ackCancelAndResponsesAreNeverRefused() {
    assertNull(read(options("").replace("OPTIONS", "ACK")));
    assertNull(read(options("").replace("OPTIONS", "CANCEL")));
    assertNull(
        read(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-r\r\n"
                + "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: r\r\nCSeq: 1 OPTIONS\r\n\r\n"));
  }

  @Test
  void whatItCannotBeSureOfIsLeftToTheFullPath() {
    // a folded header line
    assertNull(read(options("Subject: first\r\n  second")));
    // a header it copies given twice, or missing
    assertNull(read(options("Call-ID: again")));
    assertNull(read(options("").replace("Call-ID: c9\r\n", "")));
    // CSeq's method is not the request's
    assertNull(read(options("").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")));
    // a top Via this reading does not address: TCP, maddr, received, an rport value, no host
    assertNull(read(options("").replace("SIP/2.0/UDP", "SIP/2.0/TCP")));
    assertNull(read(options("").replace(";branch=z9hG4bK-9", ";branch=z9hG4bK-9;maddr=10.0.0.1")));
    assertNull(read(options("").replace(";branch=z9hG4bK-9", ";received=10.0.0.1")));
    assertNull(read(options("").replace(";branch=z9hG4bK-9", ";rport=1")));
    assertNull(read(options("").replace("127.0.0.1:5070", ":5070")));
    assertNull(read(options("").replace("127.0.0.1:5070", "127.0.0.1:70000")));
    // no empty line after the headers, or another SIP version
    assertNull(read(options("").replace("\r\n\r\n", "\r\n")));
    assertNull(read(options("").replace("SIP/2.0\r\n", "SIP/3.0\r\n")));
  }

  @Test
  void anIpv6SentByIsRead() throws Exception {
    DatagramPacket out = refuse(options("").replace("127.0.0.1:5070", "[::1]:5072"), 40000);
    assertEquals(5072, out.getPort());
    assertTrue(text(out).contains("Via: SIP/2.0/UDP [::1]:5072;branch=z9hG4bK-9;received="));
  }

  /** An OPTIONS with one extra header line (or none), all else fixed. */
  private static String options(String extra) {
    return "OPTIONS sip:herald.test SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-9\r\n"
        + "From: <sip:bob@herald.test>;tag=b9\r\n"
        + (extra.startsWith("To:") ? "" : "To: <sip:herald.test>\r\n")
        + "Call-ID: c9\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + (extra.isEmpty() ? "" : extra + "\r\n")
        + "\r\n";
  }

  private static StatelessRefusal read(String request) {
    byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
    return StatelessRefusal.read(b, 0, b.length);
  }

  private static DatagramPacket refuse(String request, int sourcePort) {
    byte[] b = ("xx" + request).getBytes(StandardCharsets.ISO_8859_1);
    StatelessRefusal refusal = StatelessRefusal.read(b, 2, b.length - 2); // an offset too
    assertNotNull(refusal, request);
    return refusal.refusal(
        SOURCE, sourcePort, "Service Unavailable (overloaded: x)", 5, "Herald/test");
  }

  private static String text(DatagramPacket p) {
    return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
