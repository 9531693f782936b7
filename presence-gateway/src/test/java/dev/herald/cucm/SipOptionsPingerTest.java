package dev.herald.cucm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.config.Transport;
import dev.herald.config.TrunkPeer;
import dev.herald.sip.ListenPoint;
import java.util.List;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OPTIONS Herald pings a trunk peer with (RFC 3261 §11.1), and where it is sent from. */
class SipOptionsPingerTest {
  private static final ListenPoint UDP = new ListenPoint("udp", "127.0.0.1", 5060);
  private static final ListenPoint TCP = new ListenPoint("tcp", "127.0.0.1", 5060);

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource({
    "192.0.2.10, UDP, udp, sip:192.0.2.10:5070",
    "192.0.2.10, TCP, tcp, sip:192.0.2.10:5070;transport=tcp",
    "2001:db8::1, UDP, udp, sip:[2001:db8::1]:5070",
  })
  void requestUriIsThePeer(String host, Transport transport, String lp, String uri)
      throws Exception {
    Request request =
        SipOptionsPinger.options(
            new TrunkPeer(host, 5070, transport), new ListenPoint(lp, "127.0.0.1", 5060), "h.test");

    assertEquals(Request.OPTIONS, request.getMethod());
    assertEquals(uri, request.getRequestURI().toString());
  }

  @Test
  void outOfDialogWithFromHeraldAndNoVia() throws Exception {
    Request request =
        SipOptionsPinger.options(
            new TrunkPeer("192.0.2.10", 5060, Transport.UDP), UDP, "herald.test");

    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    assertEquals("sip:herald@herald.test", from.getAddress().getURI().toString());
    assertEquals(false, from.getTag() == null || from.getTag().isEmpty());
    assertEquals(1L, ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber());
    assertEquals(
        70, ((MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
    assertNull(request.getHeader(ViaHeader.NAME));
  }

  @Test
  void sentFromTheFirstListenPointOfThePeersTransport() {
    TrunkPeer tcpPeer = new TrunkPeer("192.0.2.10", 5060, Transport.TCP);
    TrunkPeer tlsPeer = new TrunkPeer("192.0.2.10", 5061, Transport.TLS);

    assertEquals(TCP, SipOptionsPinger.listenPoint(List.of(UDP, TCP), tcpPeer));
    assertNull(SipOptionsPinger.listenPoint(List.of(UDP, TCP), tlsPeer));
  }
}
