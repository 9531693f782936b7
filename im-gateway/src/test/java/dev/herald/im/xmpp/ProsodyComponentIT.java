package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.im.xmpp.XmppComponent.State;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's component against a real Prosody 0.12 on loopback, with Smack 4.4 as the XMPP user: the
 * XEP-0114 §3 handshake, a message routed by the server to the component's domain and one back (RFC
 * 6120 §10.4, §10.5.4: the server routes stanzas for a domain it hosts to that domain), a wrong
 * secret refused, and the component coming back after Prosody restarts.
 */
class ProsodyComponentIT {

  private static final String XMPP_DOMAIN = "xmpp.herald.test";
  private static final String COMPONENT = "sip.herald.test";
  private static final String SECRET = "it-secret-\u00e9";

  private ProsodyServer prosody;
  private final RecordingListener listener = new RecordingListener();
  private XmppComponent component;
  private XMPPTCPConnection bob;

  @BeforeEach
  void startProsody() throws Exception {
    Path folder = Path.of("target", "prosody-it", Long.toString(System.nanoTime()));
    prosody = ProsodyServer.start(folder, XMPP_DOMAIN, COMPONENT, SECRET);
    prosody.register("bob", "bob-pw");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (bob != null) {
      bob.disconnect();
    }
    if (component != null) {
      component.close();
    }
    prosody.stop();
  }

  private ComponentOptions options(String secret) {
    return ComponentOptions.of("127.0.0.1", prosody.componentPort(), COMPONENT, secret)
        .withReconnect(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  private XMPPTCPConnection login(String user, String password) throws Exception {
    XMPPTCPConnection connection =
        new XMPPTCPConnection(
            XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(XMPP_DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(prosody.c2sPort())
                .setUsernameAndPassword(user, password)
                .setResource("it")
                .setSecurityMode(
                    SecurityMode.disabled) // loopback test server without a certificate
                .build());
    connection.connect().login();
    return connection;
  }

  @Test
  void handshakeThenAMessageEachWay() throws Exception {
    component = XmppComponent.start(options(SECRET), listener);
    listener.awaitState(State.UP, 30);
    bob = login("bob", "bob-pw");
    BlockingQueue<Message> toBob = new LinkedBlockingQueue<>();
    bob.addAsyncStanzaListener(s -> toBob.add((Message) s), StanzaTypeFilter.MESSAGE);

    bob.sendStanza(
        bob.getStanzaFactory()
            .buildMessageStanza()
            .to("alice@" + COMPONENT)
            .ofType(Message.Type.chat)
            .setBody("hello alice")
            .build());

    XmlElement received = listener.awaitStanza();
    assertEquals("message", received.name());
    assertEquals("bob@" + XMPP_DOMAIN + "/it", received.attribute("from").orElseThrow());
    assertEquals("alice@" + COMPONENT, received.attribute("to").orElseThrow());
    assertEquals(
        "hello alice", received.element("body", XmppComponent.NAMESPACE).orElseThrow().text());

    assertTrue(
        component.send(message("alice@" + COMPONENT, "bob@" + XMPP_DOMAIN + "/it", "hi bob")));
    Message reply = toBob.poll(10, TimeUnit.SECONDS);
    assertNotNull(reply, "bob got no message from the component");
    assertEquals("alice@" + COMPONENT, reply.getFrom().toString());
    assertEquals("hi bob", reply.getBody());
  }

  /** XEP-0114 §3: Prosody closes the stream of a component with a wrong secret. */
  @Test
  void aWrongSecretIsRefused() throws Exception {
    component = XmppComponent.start(options("not-the-secret"), listener);

    listener.awaitState(State.DOWN, 30);

    assertFalse(component.isUp());
    assertTrue(component.retryAfter().getSeconds() >= 1);
  }

  @Test
  void comesBackWhenProsodyRestarts() throws Exception {
    component = XmppComponent.start(options(SECRET), listener);
    listener.awaitState(State.UP, 30);

    prosody.stop();
    listener.awaitState(State.DOWN, 30);
    assertFalse(component.isUp());
    assertFalse(component.send(message("alice@" + COMPONENT, "bob@" + XMPP_DOMAIN, "lost")));

    prosody.start();
    listener.awaitState(State.UP, 30);
    bob = login("bob", "bob-pw");
    bob.sendStanza(
        bob.getStanzaFactory()
            .buildMessageStanza()
            .to("alice@" + COMPONENT)
            .setBody("still there?")
            .build());
    assertEquals(
        "still there?",
        listener.awaitStanza().element("body", XmppComponent.NAMESPACE).orElseThrow().text());
  }

  private static XmlElement message(String from, String to, String body) {
    return XmlElement.builder("message", XmppComponent.NAMESPACE)
        .attribute("from", from)
        .attribute("to", to)
        .attribute("type", "chat")
        .child(XmlElement.builder("body", XmppComponent.NAMESPACE).text(body).build())
        .build();
  }
}
