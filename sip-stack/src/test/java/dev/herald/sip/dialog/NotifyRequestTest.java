package dev.herald.sip.dialog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A NOTIFY written as text is the NOTIFY JAIN-SIP builds from the same dialog: parsed back, every
 * header encodes the same, in any dialog a SUBSCRIBE can make (display names, addr-specs, route
 * sets, IPv6, URI parameters) and in every state.
 */
class NotifyRequestTest {
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final ListenPoint UDP6 = new ListenPoint("udp", "::1", 5062);
  private static final String UA = "User-Agent: Herald/test\r\n";

  private static Request subscribe(String from, String contact, String extra) throws Exception {
    return SipMessages.MESSAGES.createRequest(
        "SUBSCRIBE sip:alice@herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKabc\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: "
            + from
            + "\r\n"
            + "To: <sip:alice@herald.test>\r\n"
            + "Call-ID: call-1@127.0.0.2\r\n"
            + "CSeq: 7 SUBSCRIBE\r\n"
            + "Contact: "
            + contact
            + "\r\n"
            + extra
            + "Event: presence\r\n"
            + "Content-Length: 0\r\n\r\n");
  }

  static List<Arguments> dialogs() {
    String[] froms = {
      "<sip:bob@herald.test>;tag=b1",
      "\"Bob Smith\" <sip:bob@herald.test>;tag=b2",
      "Bob <sip:bob@herald.test>;tag=b3",
      "sip:bob@herald.test;tag=b4",
      "\"B\\\"ob\" <sips:bob@herald.test;user=phone>;tag=b5;epid=x",
      "<tel:+15551234>;tag=b6",
    };
    String[] contacts = {
      "<sip:bob@127.0.0.2:5070>",
      "<sip:bob@127.0.0.2:5070;transport=udp>",
      "<sip:127.0.0.2;ob>",
      "<sip:bob@[::1]:5070>",
      "<sip:bob@host.example:5070>",
      "<sip:bob@127.0.0.2;transport=tcp>",
      "sip:bob@127.0.0.2:5071",
    };
    String[] routes = {
      "",
      "Record-Route: <sip:127.0.0.9:5080;lr>\r\n",
      "Record-Route: <sip:p1.example;lr>, <sip:127.0.0.8;lr;ftag=x>\r\n",
      "Record-Route: <sip:127.0.0.9:5080>\r\n",
    };
    List<Arguments> out = new ArrayList<>();
    int i = 0;
    for (String from : froms) {
      for (String contact : contacts) {
        for (String route : routes) {
          out.add(Arguments.of(from, contact, route, i++ % 2 == 0 ? UDP : UDP6));
        }
      }
    }
    return out;
  }

  static final NotifyRequest.State[] STATES = {
    NotifyRequest.State.of("active", 3599),
    NotifyRequest.State.of("pending", 1),
    NotifyRequest.State.terminated("timeout"),
    NotifyRequest.State.terminated("rejected"),
  };

  @ParameterizedTest
  @MethodSource("dialogs")
  void textIsWhatJainSipBuilds(String from, String contact, String route, ListenPoint lp)
      throws Exception {
    SubscriptionDialog d = SubscriptionDialog.accept(subscribe(from, contact, route), lp, "h-tag");
    if (!route.isEmpty() && !route.contains(";lr")) {
      // a strict router: only JAIN-SIP builds (and sends) that request
      NotifyRequest n = d.newNotify("presence", "", STATES[0], null, null);
      assertNull(n.udpNextHop());
      assertThrows(IllegalStateException.class, () -> n.encode("", UA));
      return;
    }
    byte[] pidf =
        "<?xml version=\"1.0\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@herald.test\"><note>caf\u00e9</note></presence>"
            .getBytes(StandardCharsets.UTF_8);
    for (NotifyRequest.State state : STATES) {
      for (String id : new String[] {"", "abc"}) {
        boolean body = !state.value().equals("terminated") || id.isEmpty();
        NotifyRequest n =
            d.newNotify(
                "presence", id, state, body ? "application/pidf+xml" : null, body ? pidf : null);
        String via = "Via: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bK-t1\r\n";
        Request text = SipMessages.MESSAGES.createRequest(new String(n.encode(via, UA), "UTF-8"));
        Request objects = n.toRequest();
        ViaHeader v = SipMessages.HEADERS.createViaHeader("127.0.0.1", 5060, "udp", null);
        v.setRPort();
        v.setBranch("z9hG4bK-t1");
        objects.setHeader(v);
        objects.setHeader(SipMessages.HEADERS.createHeader("User-Agent", "Herald/test"));
        assertEquals(objects.getRequestURI().toString(), text.getRequestURI().toString());
        assertEquals(headers(objects), headers(text), from + " " + contact + " " + route);
        assertArrayEquals(objects.getRawContent(), text.getRawContent());
        // and the bytes JAIN-SIP itself would send are the same length: nothing added or lost
        assertEquals(((SIPMessage) objects).encodeAsBytes("UDP").length, n.encode(via, UA).length);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dialogs")
  void nextHopIsTheOneJainSipBuiltRequestsGoTo(
      String from, String contact, String route, ListenPoint lp) throws Exception {
    SubscriptionDialog d = SubscriptionDialog.accept(subscribe(from, contact, route), lp, "h-tag");
    NotifyRequest n = d.newNotify("presence", "", STATES[0], null, null);
    assertEquals(jainSipNextHop(n.toRequest()), n.udpNextHop());
  }

  @org.junit.jupiter.api.Test
  void aRefreshedTargetIsWhereTheNextNotifyGoes() throws Exception {
    SubscriptionDialog d =
        SubscriptionDialog.accept(
            subscribe("<sip:bob@herald.test>;tag=b", "<sip:bob@127.0.0.2:5070>", ""), UDP, "t");
    assertEquals(new InetSocketAddress("127.0.0.2", 5070), notify(d).udpNextHop());
    d.refreshTarget(subscribe("<sip:bob@herald.test>;tag=b", "<sip:bob@host.example:5070>", ""));
    assertNull(notify(d).udpNextHop()); // a host name: JAIN-SIP resolves and sends
    d.refreshTarget(subscribe("<sip:bob@herald.test>;tag=b", "<sip:bob@127.0.0.3:5090>", ""));
    NotifyRequest n = notify(d);
    assertNotNull(n.udpNextHop());
    assertEquals(new InetSocketAddress("127.0.0.3", 5090), n.udpNextHop());
    assertEquals("sip:bob@127.0.0.3:5090", n.toRequest().getRequestURI().toString());
  }

  /**
   * The oracle: where the JAIN-SIP request goes over UDP when Herald may send it itself (RFC 3261
   * §8.1.2, as JAIN-SIP's DefaultRouter decides it): the first Route when it is a loose router,
   * else the Request-URI; null for a strict router, and whatever {@code udpNextHop(URI)} refuses.
   */
  static InetSocketAddress jainSipNextHop(Request request) {
    javax.sip.address.URI uri;
    javax.sip.header.RouteHeader route =
        (javax.sip.header.RouteHeader) request.getHeader(javax.sip.header.RouteHeader.NAME);
    if (route != null) {
      uri = route.getAddress().getURI();
      if (!(uri instanceof javax.sip.address.SipURI s) || !s.hasLrParam()) {
        return null;
      }
    } else {
      uri = request.getRequestURI();
    }
    return dev.herald.sip.internal.UdpClientTransactions.udpNextHop(uri);
  }

  private static NotifyRequest notify(SubscriptionDialog d) {
    return d.newNotify("presence", "", STATES[0], null, null);
  }

  /** Every header as JAIN-SIP encodes it, in order of name then position. */
  private static List<String> headers(Request r) {
    List<String> out = new ArrayList<>();
    ListIterator<String> names = r.getHeaderNames();
    while (names.hasNext()) {
      String name = names.next();
      ListIterator<?> it = r.getHeaders(name);
      while (it.hasNext()) {
        out.add(((Header) it.next()).toString());
      }
    }
    out.sort(null);
    return out;
  }
}
