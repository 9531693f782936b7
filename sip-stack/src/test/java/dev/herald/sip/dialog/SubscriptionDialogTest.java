package dev.herald.sip.dialog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The notifier's dialog (RFC 3261 §12.1.1, §12.2.1.1; RFC 6665 §4.2). */
class SubscriptionDialogTest {
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final ListenPoint TCP = new ListenPoint("tcp", "127.0.0.1", 5060);

  private static Request subscribe(String extraHeaders, String contact) throws ParseException {
    return SipMessages.MESSAGES.createRequest(
        "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKabc\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Bob\" <sip:bob@herald.test>;tag=bob-tag\r\n"
            + "To: <sip:alice@herald.test>\r\n"
            + "Call-ID: call-1\r\n"
            + "CSeq: 7 SUBSCRIBE\r\n"
            + (contact == null ? "" : "Contact: " + contact + "\r\n")
            + extraHeaders
            + "Event: presence\r\n"
            + "Content-Length: 0\r\n\r\n");
  }

  private static List<String> routes(Request r) {
    List<String> out = new ArrayList<>();
    Iterator<?> it = r.getHeaders(RouteHeader.NAME);
    while (it.hasNext()) {
      out.add(((RouteHeader) it.next()).getAddress().getURI().toString());
    }
    return out;
  }

  @Test
  void notifyGoesToTheContactWithSwappedTagsAndIncreasingCseq() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(subscribe("", "<sip:bob@127.0.0.2:5070>"), UDP, "herald-tag");
    Request n1 = d.newRequest(Request.NOTIFY);
    Request n2 = d.newRequest(Request.NOTIFY);
    assertEquals("sip:bob@127.0.0.2:5070", n1.getRequestURI().toString());
    assertEquals("herald-tag", ((FromHeader) n1.getHeader(FromHeader.NAME)).getTag());
    assertEquals(
        "sip:alice@herald.test",
        ((FromHeader) n1.getHeader(FromHeader.NAME)).getAddress().getURI().toString());
    assertEquals("bob-tag", ((ToHeader) n1.getHeader(ToHeader.NAME)).getTag());
    assertEquals("Bob", ((ToHeader) n1.getHeader(ToHeader.NAME)).getAddress().getDisplayName());
    long c1 = ((CSeqHeader) n1.getHeader(CSeqHeader.NAME)).getSeqNumber();
    long c2 = ((CSeqHeader) n2.getHeader(CSeqHeader.NAME)).getSeqNumber();
    assertEquals(c1 + 1, c2);
    assertEquals("NOTIFY", ((CSeqHeader) n1.getHeader(CSeqHeader.NAME)).getMethod());
    assertTrue(routes(n1).isEmpty());
  }

  @Test
  void looseRouteSetIsUsedInOrder() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(
            subscribe(
                "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n",
                "<sip:bob@127.0.0.2>"),
            UDP,
            "t");
    Request n = d.newRequest(Request.NOTIFY);
    assertEquals(List.of("sip:p1.example;lr", "sip:p2.example;lr"), routes(n));
    assertEquals("sip:bob@127.0.0.2", n.getRequestURI().toString());
  }

  @Test
  void strictRouterBecomesTheRequestUri() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(
            subscribe(
                "Record-Route: <sip:strict.example>, <sip:p2.example;lr>\r\n",
                "<sip:bob@127.0.0.2>"),
            UDP,
            "t");
    Request n = d.newRequest(Request.NOTIFY);
    assertEquals("sip:strict.example", n.getRequestURI().toString());
    assertEquals(List.of("sip:p2.example;lr", "sip:bob@127.0.0.2"), routes(n));
  }

  @Test
  void contactOfAStreamListenPointNamesItsTransport() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(subscribe("", "<sip:bob@127.0.0.2>"), TCP, "t");
    ContactHeader c = (ContactHeader) d.newRequest(Request.NOTIFY).getHeader(ContactHeader.NAME);
    assertEquals("sip:127.0.0.1:5060;transport=tcp", c.getAddress().getURI().toString());
  }

  @Test
  void remoteCseqMustIncrease() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(subscribe("", "<sip:bob@127.0.0.2>"), UDP, "t");
    assertFalse(d.acceptRemoteCseq(7), "same as the initial SUBSCRIBE");
    assertTrue(d.acceptRemoteCseq(8));
    assertFalse(d.acceptRemoteCseq(8));
  }

  @Test
  void refreshMovesTheRemoteTarget() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(subscribe("", "<sip:bob@127.0.0.2>"), UDP, "t");
    d.refreshTarget(subscribe("", "<sip:bob@127.0.0.9:5080>"));
    assertEquals("sip:bob@127.0.0.9:5080", d.newRequest(Request.NOTIFY).getRequestURI().toString());
  }

  @Test
  void missingContactOrFromTagIsRefused() throws Exception {
    DialogException noContact =
        assertThrows(
            DialogException.class, () -> SubscriptionDialog.accept(subscribe("", null), UDP, "t"));
    assertEquals("Contact header missing", noContact.getMessage());
    Request noTag = subscribe("", "<sip:bob@127.0.0.2>");
    ((FromHeader) noTag.getHeader(FromHeader.NAME)).removeParameter("tag");
    assertNull(((FromHeader) noTag.getHeader(FromHeader.NAME)).getTag());
    assertThrows(DialogException.class, () -> SubscriptionDialog.accept(noTag, UDP, "t"));
  }
}
