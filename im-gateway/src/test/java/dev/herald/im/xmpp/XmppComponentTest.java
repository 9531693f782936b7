package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.im.xmpp.FakeComponentServer.Peer;
import dev.herald.im.xmpp.XmppComponent.State;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The XEP-0114 component against a fake server on loopback (in-process, a plain server socket): the
 * handshake (§3), stanzas both ways, and what happens when the server misbehaves or goes away.
 */
class XmppComponentTest {

  private static final String SECRET = "s3cret";
  private static final String MESSAGE =
      "<message from='bob@xmpp.herald.test/pc' to='alice@sip.herald.test' type='chat'>"
          + "<body>hello</body></message>";

  private FakeComponentServer server;
  private final RecordingListener listener = new RecordingListener();
  private XmppComponent component;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeComponentServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (component != null) {
      component.close();
    }
    server.close();
  }

  private ComponentOptions options() {
    return ComponentOptions.of("127.0.0.1", server.port(), "sip.herald.test", SECRET)
        .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
        .withStanzaLimits(2048, 8)
        .withTimers(Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  /** Accepts the component's connection and lets it in, as a server with the right secret does. */
  private Peer acceptAndLetIn(String streamId) throws Exception {
    Peer peer = server.accept();
    peer.openStream(streamId);
    assertEquals(Handshake.digest(streamId, SECRET), peer.readHandshake());
    peer.write("<handshake/>");
    listener.awaitState(State.UP, 10);
    return peer;
  }

  @Test
  void handshakeThenStanzasFlowBothWays() throws Exception {
    component = XmppComponent.start(options(), listener);
    assertFalse(component.isUp());
    assertTrue(component.retryAfter().getSeconds() >= 1);

    Peer peer = acceptAndLetIn("3BF96D32");

    assertTrue(component.isUp());
    assertEquals(Duration.ZERO, component.retryAfter());
    peer.write(MESSAGE);
    XmlElement received = listener.awaitStanza();
    assertEquals("message", received.name());
    assertEquals(XmppComponent.NAMESPACE, received.namespace());
    assertEquals("alice@sip.herald.test", received.attribute("to").orElseThrow());
    assertEquals("hello", received.element("body", XmppComponent.NAMESPACE).orElseThrow().text());

    XmlElement reply =
        XmlElement.builder("message", XmppComponent.NAMESPACE)
            .attribute("from", "alice@sip.herald.test")
            .attribute("to", "bob@xmpp.herald.test/pc")
            .child(XmlElement.builder("body", XmppComponent.NAMESPACE).text("hi & bye").build())
            .build();
    assertTrue(component.send(reply));
    assertEquals(
        "<message from='alice@sip.herald.test' to='bob@xmpp.herald.test/pc'>"
            + "<body>hi &amp; bye</body></message>",
        peer.read("<message .*?</message>").group());
  }

  /** XEP-0114 §3: a wrong secret gets a not-authorized stream error; the component tries again. */
  @Test
  void aRefusedHandshakeIsRetriedWithBackoff() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer refused = server.accept();
    refused.openStream("1");
    refused.readHandshake();
    refused.write(
        "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            + "</stream:error></stream:stream>");

    listener.awaitState(State.DOWN, 10);
    assertFalse(component.isUp());
    assertFalse(component.send(XmlElement.builder("presence", XmppComponent.NAMESPACE).build()));
    assertTrue(component.retryAfter().getSeconds() >= 1);
    refused.close();

    acceptAndLetIn("2");
    assertTrue(component.isUp());
  }

  /** Split packets: every byte of the server's side in a TCP segment of its own. */
  @Test
  void aServerThatSendsOneByteAtATimeIsUnderstood() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer peer = server.accept();
    peer.read("<stream:stream [^>]*>");
    String header =
        "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns='jabber:component:accept' from='sip.herald.test' id='ab\u00e9'>";
    peer.writeByteByByte(header);
    assertEquals(Handshake.digest("ab\u00e9", SECRET), peer.readHandshake());
    peer.writeByteByByte("<handshake/>" + MESSAGE);

    listener.awaitState(State.UP, 10);
    assertEquals(
        "hello",
        listener.awaitStanza().element("body", XmppComponent.NAMESPACE).orElseThrow().text());
  }

  @Test
  void reconnectsAfterTheServerDropsTheConnection() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer first = acceptAndLetIn("1");

    first.close();

    listener.awaitState(State.DOWN, 10);
    assertFalse(component.isUp());
    Peer second = acceptAndLetIn("2");
    second.write(MESSAGE);
    assertEquals("message", listener.awaitStanza().name());
  }

  @Test
  void anOversizedStanzaClosesTheStreamWithPolicyViolation() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer peer = acceptAndLetIn("1");

    peer.write("<message><body>" + "a".repeat(4000) + "</body></message>");

    String rest = peer.readToEnd();
    assertTrue(
        rest.contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), rest);
    assertTrue(rest.endsWith("</stream:stream>"), rest);
    listener.awaitState(State.DOWN, 10);
    listener.assertNoStanza();
    acceptAndLetIn("2");
  }

  @Test
  void aTooDeepStanzaClosesTheStreamWithPolicyViolation() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer peer = acceptAndLetIn("1");

    peer.write("<message>" + "<x>".repeat(10) + "</x>".repeat(10) + "</message>");

    assertTrue(peer.readToEnd().contains("<policy-violation"));
    listener.awaitState(State.DOWN, 10);
    listener.assertNoStanza();
  }

  @Test
  void aServerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
    component =
        XmppComponent.start(
            options().withTimers(Duration.ofSeconds(30), Duration.ofMillis(500)), listener);
    Peer silent = server.accept(); // and never sends its stream header

    listener.awaitState(State.DOWN, 10);
    silent.readToEnd(); // the component closed it
    acceptAndLetIn("2");
  }

  @Test
  void anUnreachableServerIsRetriedUntilItAppears() throws Exception {
    int port = server.port();
    server.close(); // nothing listens there now
    component = XmppComponent.start(options(), listener);
    listener.awaitState(State.DOWN, 10);
    listener.awaitState(State.DOWN, 10); // a second failed attempt: it keeps trying

    server = new FakeComponentServer(port);
    acceptAndLetIn("1");
  }

  @Test
  void writesWhitespaceWhenIdle() throws Exception {
    component =
        XmppComponent.start(
            options().withTimers(Duration.ofSeconds(1), Duration.ofSeconds(5)), listener);
    Peer peer = acceptAndLetIn("1");

    peer.read("^ ");
  }

  @Test
  void closeEndsTheStreamAndStopsReconnecting() throws Exception {
    component = XmppComponent.start(options(), listener);
    Peer peer = acceptAndLetIn("1");

    component.close();

    assertEquals(State.CLOSED, component.state());
    assertTrue(peer.readToEnd().endsWith("</stream:stream>"));
    assertFalse(component.send(XmlElement.builder("presence", XmppComponent.NAMESPACE).build()));
  }
}
