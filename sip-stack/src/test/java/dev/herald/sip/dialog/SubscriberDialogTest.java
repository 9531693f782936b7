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
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** The subscriber's dialog (RFC 3261 §12.1.1, §12.1.2, §12.2.1.1; RFC 6665 §4.1.2.4). */
class SubscriberDialogTest {
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);

  private static SubscriberDialog dialog() {
    return SubscriberDialog.create(
        "<sip:herald@herald.test>", "<sip:alice@herald.test>", "sip:alice@192.0.2.10:5060", UDP);
  }

  /** A 200 as text, so that the Record-Route order is the one on the wire. */
  private static Response ok(Request subscribe, String toTag, String recordRoutes)
      throws Exception {
    Request s = subscribe;
    return SipMessages.MESSAGES.createResponse(
        "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKs1\r\n"
            + "From: "
            + s.getHeader(FromHeader.NAME).toString().substring("From: ".length())
            + "To: <sip:alice@herald.test>;tag="
            + toTag
            + "\r\n"
            + "Call-ID: "
            + ((javax.sip.header.CallIdHeader) s.getHeader("Call-ID")).getCallId()
            + "\r\n"
            + "CSeq: 1 SUBSCRIBE\r\n"
            + "Contact: <sip:cucm@192.0.2.10:5061>\r\n"
            + recordRoutes
            + "Expires: 3600\r\n"
            + "Content-Length: 0\r\n\r\n");
  }

  private static Request notify(SubscriberDialog d, String fromTag, String recordRoutes)
      throws ParseException {
    return SipMessages.MESSAGES.createRequest(
        "NOTIFY sip:herald@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKn1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@herald.test>;tag="
            + fromTag
            + "\r\n"
            + "To: <sip:herald@herald.test>;tag="
            + d.localTag()
            + "\r\n"
            + "Call-ID: "
            + d.callId()
            + "\r\n"
            + "CSeq: 1 NOTIFY\r\n"
            + "Contact: <sip:cucm@192.0.2.10:5062>\r\n"
            + recordRoutes
            + "Event: presence\r\n"
            + "Subscription-State: active;expires=3600\r\n"
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
  void initialSubscribeGoesToTheTargetWithoutToTag() {
    SubscriberDialog d = dialog();
    Request s = d.newRequest(Request.SUBSCRIBE);
    assertFalse(d.isEstablished());
    assertEquals("sip:alice@192.0.2.10:5060", s.getRequestURI().toString());
    assertNull(((ToHeader) s.getHeader(ToHeader.NAME)).getTag());
    assertEquals(d.localTag(), ((FromHeader) s.getHeader(FromHeader.NAME)).getTag());
    assertEquals(1L, ((CSeqHeader) s.getHeader(CSeqHeader.NAME)).getSeqNumber());
  }

  @Test
  void twoHundredEstablishesWithRecordRouteReversed() throws Exception {
    SubscriberDialog d = dialog();
    Request s = d.newRequest(Request.SUBSCRIBE);
    d.establish(
        ok(s, "cucm-tag", "Record-Route: <sip:p1.test;lr>\r\nRecord-Route: <sip:p2.test;lr>\r\n"));
    assertTrue(d.isEstablished());
    assertEquals(new DialogId(d.callId(), d.localTag(), "cucm-tag"), d.id());
    Request refresh = d.newRequest(Request.SUBSCRIBE);
    assertEquals("sip:cucm@192.0.2.10:5061", refresh.getRequestURI().toString());
    assertEquals("cucm-tag", ((ToHeader) refresh.getHeader(ToHeader.NAME)).getTag());
    assertEquals(List.of("sip:p2.test;lr", "sip:p1.test;lr"), routes(refresh));
    assertEquals(2L, ((CSeqHeader) refresh.getHeader(CSeqHeader.NAME)).getSeqNumber());
  }

  @Test
  void earlyNotifyEstablishesWithRecordRouteInOrderAndTheLaterTwoHundredChangesNoTag()
      throws Exception {
    SubscriberDialog d = dialog();
    Request s = d.newRequest(Request.SUBSCRIBE);
    Request n =
        notify(
            d, "cucm-tag", "Record-Route: <sip:p1.test;lr>\r\nRecord-Route: <sip:p2.test;lr>\r\n");
    assertTrue(d.matches(n));
    d.establish(n);
    assertEquals("cucm-tag", d.id().remoteTag());
    assertEquals(List.of("<sip:p1.test;lr>", "<sip:p2.test;lr>"), d.routeSet());
    d.establish(ok(s, "cucm-tag", ""));
    assertEquals("cucm-tag", d.id().remoteTag());
    assertEquals("sip:cucm@192.0.2.10:5061", d.remoteTarget());
    assertEquals(List.of("sip:p1.test;lr", "sip:p2.test;lr"), routes(d.newRequest("SUBSCRIBE")));
  }

  @Test
  void notifyOfAnotherDialogDoesNotMatch() throws Exception {
    SubscriberDialog d = dialog();
    d.establish(notify(d, "cucm-tag", ""));
    assertFalse(d.matches(notify(d, "other-tag", "")));
    assertFalse(d.matches(notify(dialog(), "cucm-tag", "")));
  }

  @Test
  void twoHundredWithoutToTagOrContactIsRefused() throws Exception {
    SubscriberDialog d = dialog();
    Request s = d.newRequest(Request.SUBSCRIBE);
    Response noTag = SipMessages.MESSAGES.createResponse(200, s);
    assertThrows(DialogException.class, () -> d.establish(noTag));
    Response noContact = SipMessages.MESSAGES.createResponse(200, s);
    ((ToHeader) noContact.getHeader(ToHeader.NAME)).setTag("t");
    assertThrows(DialogException.class, () -> d.establish(noContact));
    assertFalse(d.isEstablished());
  }
}
