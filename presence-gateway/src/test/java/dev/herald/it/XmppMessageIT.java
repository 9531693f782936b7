package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.im.xmpp.XmppComponent;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages across the gateway (RFC 7572) with real peers: Prosody 0.12 with Herald as its XEP-0114
 * component, Smack 4.4 as the XMPP user xena@xmpp.herald.test, SIPp as SIP users of herald.test.
 * Failures cross in both directions (RFC 7247 §7), and nothing sent while the XMPP server is away
 * is lost without an error to its sender.
 */
class XmppMessageIT {
  private static final String XMPP_DOMAIN = "xmpp.herald.test";
  private static final String COMPONENT = "sip.herald.test";
  private static final String SECRET = "im-secret";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Path folder;
  private ProsodyServer prosody;
  private RunningHerald herald;
  private XMPPTCPConnection xena;
  private final BlockingQueue<Message> toXena = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    folder = Files.createTempDirectory("herald-im-it-");
    Files.writeString(folder.resolve("xmpp-secret"), SECRET + "\n");
    prosody = ProsodyServer.start(folder.resolve("prosody"), XMPP_DOMAIN, COMPONENT, SECRET);
    prosody.register("xena", "xena-pw");
  }

  @AfterEach
  void stop() throws Exception {
    if (xena != null) {
      xena.disconnect();
    }
    if (herald != null) {
      herald.close();
    }
    prosody.close();
  }

  private void startHerald(int errorWaitMs) throws Exception {
    herald =
        RunningHerald.start(
                """
            xmpp:
              port: %d
              component-domain: %s
              secret-file: %s
              domains: {herald.test: %s}
              reconnect: {min-delay-ms: 100, max-delay-ms: 500}
              message-error-wait-ms: %d
            """
                .formatted(
                    prosody.componentPort(),
                    COMPONENT,
                    folder.resolve("xmpp-secret"),
                    XMPP_DOMAIN,
                    errorWaitMs));
    awaitComponent(true);
  }

  private void awaitComponent(boolean up) throws InterruptedException {
    XmppComponent component = herald.herald().xmpp().orElseThrow();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (component.isUp() != up) {
      if (System.nanoTime() > deadline) {
        fail("the component is not " + (up ? "up" : "down") + "; Prosody:\n" + prosody.logTail());
      }
      Thread.sleep(20);
    }
  }

  private void loginXena() throws Exception {
    xena =
        new XMPPTCPConnection(
            XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(XMPP_DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(prosody.c2sPort())
                .setUsernameAndPassword("xena", "xena-pw")
                .setResource("it")
                .setSecurityMode(SecurityMode.disabled) // loopback test server, no certificate
                .build());
    xena.addAsyncStanzaListener(s -> toXena.add((Message) s), StanzaTypeFilter.MESSAGE);
    xena.connect().login();
  }

  private void xenaSends(String to, String body) throws Exception {
    xena.sendStanza(
        xena.getStanzaFactory()
            .buildMessageStanza()
            .to(to)
            .ofType(Message.Type.chat)
            .setBody(body)
            .setThread("thread-1")
            .build());
  }

  private Message nextToXena() throws InterruptedException {
    Message m = toXena.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(m, "xena got nothing; Prosody:\n" + prosody.logTail());
    return m;
  }

  /** A device for {@code user} (a SIPp UAS expecting {@code text}), registered with Herald. */
  private RunningSipp device(String user, String text) {
    return device(user, text, "200");
  }

  /** As {@link #device(String, String)}, answering {@code status} (200 or 486). */
  private RunningSipp device(String user, String text, String status) {
    int port = LoopbackPorts.freeUdpAndTcpPort();
    RunningSipp device =
        Sipp.scenario("im-device")
            .localPort(port)
            .transport(SippTransport.UDP)
            .key("text", text)
            .key("status", status)
            .timeout(WAIT)
            .start();
    herald
        .sipp("register-contact", SippTransport.UDP)
        .service(user)
        .key("contact_port", String.valueOf(port))
        .run()
        .assertPassed();
    return device;
  }

  /** RFC 7572 §5: body, subject (SIP Subject) and thread (the Call-ID), from alice's JID. */
  @Test
  void sipToXmppArrivesWithBodySubjectAndThread() throws Exception {
    startHerald(300);
    loginXena();

    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("xena")
        .key("text", "hello xena")
        .key("subject", "lunch")
        .key("expect", "202")
        .run()
        .assertPassed();

    Message m = nextToXena();
    assertEquals("alice@" + COMPONENT, m.getFrom().asBareJid().toString());
    assertEquals(Message.Type.chat, m.getType());
    // SIPp ends its body with CRLF; Herald relays the text as it is, and XML reads CRLF as LF.
    assertEquals("hello xena\n", m.getBody());
    assertEquals("lunch", m.getSubject());
    assertNotNull(m.getThread(), "the thread carries the SIP Call-ID");
    assertTrue(
        m.getStanzaId() != null && m.getStanzaId().startsWith("herald-"), m.toXML().toString());
  }

  /** RFC 7572 §4: xena's message reaches alice's registered device as a text/plain MESSAGE. */
  @Test
  void xmppToSipReachesTheRegisteredDevice() throws Exception {
    startHerald(300);
    loginXena();
    try (RunningSipp device = device("alice", "hello alice")) {
      xenaSends("alice@" + COMPONENT, "hello alice");

      device.awaitExit(WAIT).assertPassed();
    }
    assertEquals(0, toXena.size(), "no error came back: " + toXena);
  }

  /**
   * RFC 7247 §7.2: nobody of that name is item-not-found; carol (a user without a device) is
   * recipient-unavailable (480); bob's device answering 486 is recipient-unavailable too.
   */
  @Test
  void xmppToAnUnreachableSipUserGetsAnErrorStanza() throws Exception {
    startHerald(300);
    loginXena();

    xenaSends("nobody@" + COMPONENT, "anyone?");
    Message error = nextToXena();
    assertEquals(Message.Type.error, error.getType());
    assertEquals(StanzaError.Condition.item_not_found, error.getError().getCondition());

    xenaSends("carol@" + COMPONENT, "carol?");
    error = nextToXena();
    assertEquals(StanzaError.Condition.recipient_unavailable, error.getError().getCondition());

    try (RunningSipp device = device("bob", "bob?", "486")) {
      xenaSends("bob@" + COMPONENT, "bob?");
      error = nextToXena();
      assertEquals(StanzaError.Condition.recipient_unavailable, error.getError().getCondition());
      device.awaitExit(WAIT).assertPassed();
    }
  }

  /**
   * An XMPP user who does not exist: Prosody answers service-unavailable (RFC 6120 §10.5.4), which
   * reaches the SIP sender within the wait as 503 (RFC 7247 §7.1).
   */
  @Test
  void sipToAnUnknownXmppUserGetsTheXmppError() throws Exception {
    startHerald(2000);

    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("ghost")
        .key("expect", "503")
        .run()
        .assertPassed();
  }

  /**
   * With no wait, the sender gets 202 at once and the XMPP error later, as a MESSAGE to their
   * registered device from the address they wrote to.
   */
  @Test
  void aLateXmppErrorReachesTheSenderAsAMessage() throws Exception {
    startHerald(0);
    try (RunningSipp alicesDevice = device("alice", "could not deliver")) {
      herald
          .sipp("im-sender", SippTransport.UDP)
          .service("ghost")
          .key("expect", "202")
          .run()
          .assertPassed();

      alicesDevice.awaitExit(WAIT).assertPassed();
    }
  }

  /**
   * While Prosody is away, a MESSAGE for XMPP gets 503 with Retry-After at once (never a silent
   * drop); once Prosody is back Herald reconnects and the next MESSAGE arrives.
   */
  @Test
  void whileProsodyIsAwayMessagesGet503AndAfterItReturnsTheyArrive() throws Exception {
    startHerald(300);

    prosody.stop();
    awaitComponent(false);
    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("xena")
        .key("expect", "503")
        .key("retry_after", "yes")
        .run()
        .assertPassed();

    prosody.start();
    awaitComponent(true);
    loginXena();
    herald
        .sipp("im-sender", SippTransport.UDP)
        .service("xena")
        .key("text", "back again")
        .key("expect", "202")
        .run()
        .assertPassed();
    assertEquals("back again\n", nextToXena().getBody());
  }
}
