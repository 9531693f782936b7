package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.presence.Resource;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence across the XMPP gateway (RFC 8048) with real peers: Herald as the XEP-0114 component of
 * a Prosody on loopback, Smack clients as XMPP users (xena, yuri, with rosters), SIPp as SIP users.
 * XMPP users watching SIP users (RFC 8048 §4, §6.3), SIP users watching XMPP users through one
 * subscription of the gateway's (§5, §6.2), the confirm policy for XMPP watchers, probes (RFC 6121
 * §4.3), and a SUBSCRIBE while the component is down.
 */
class XmppPresenceIT {
  private static final String XMPP_DOMAIN = "xmpp.herald.test";
  private static final String COMPONENT = "sip.herald.test";
  private static final String SECRET = "presence-it-secret";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ProsodyServer prosody;
  private static Path folder;

  private RunningHerald herald;
  private final List<XMPPTCPConnection> clients = new ArrayList<>();

  @BeforeAll
  static void startProsody() throws Exception {
    folder = Files.createTempDirectory("herald-xmpp-presence-it-");
    Files.writeString(folder.resolve("xmpp-secret"), SECRET + "\n");
    prosody = ProsodyServer.start(folder.resolve("prosody"), XMPP_DOMAIN, COMPONENT, SECRET);
    for (String user : List.of("xena", "yuri", "zoe", "quinn")) {
      prosody.register(user, user + "-pw");
    }
    Roster.setDefaultSubscriptionMode(Roster.SubscriptionMode.accept_all);
  }

  @AfterAll
  static void stopProsody() throws Exception {
    prosody.stop();
  }

  @AfterEach
  void stopAll() {
    for (XMPPTCPConnection c : clients) {
      c.disconnect();
    }
    if (herald != null) {
      herald.close();
    }
  }

  /** Herald as Prosody's component, {@code extraYaml} as in RunningHerald.start. */
  private RunningHerald startHerald(String extraYaml) throws Exception {
    String xmpp =
            """
        xmpp:
          port: %d
          component-domain: %s
          secret-file: %s
          domains: {herald.test: %s}
          subscribe-linger: 1
          reconnect: {min-delay-ms: 100, max-delay-ms: 1000}
        """
            .formatted(
                prosody.componentPort(), COMPONENT, folder.resolve("xmpp-secret"), XMPP_DOMAIN);
    RunningHerald started = RunningHerald.start(xmpp + extraYaml);
    awaitTrue("the component is up", () -> started.herald().xmpp().orElseThrow().isUp());
    return started;
  }

  /** An XMPP user of Prosody, logged in with the resource "it" (and so available). */
  private Client login(String user) throws Exception {
    XMPPTCPConnection connection =
        new XMPPTCPConnection(
            XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(XMPP_DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(prosody.c2sPort())
                .setUsernameAndPassword(user, user + "-pw")
                .setResource("it")
                .setSecurityMode(SecurityMode.disabled) // loopback test server, no certificate
                .build());
    Client client = new Client(connection);
    // Synchronous: called in the order stanzas arrive (asynchronous listeners may reorder them).
    connection.addSyncStanzaListener(
        s -> {
          client.all.add((Presence) s);
          client.presences.add((Presence) s);
        },
        StanzaTypeFilter.PRESENCE);
    connection.connect().login();
    clients.add(connection);
    return client;
  }

  /** An XMPP user's connection and every presence stanza it received, in order. */
  private static final class Client {
    final XMPPTCPConnection connection;
    final BlockingQueue<Presence> presences = new LinkedBlockingQueue<>();
    final List<Presence> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** How many presences of {@code type} came from {@code from} so far. */
    long count(String from, Presence.Type type) {
      return all.stream()
          .filter(p -> p.getFrom().asBareJid().toString().equals(from) && p.getType() == type)
          .count();
    }

    Client(XMPPTCPConnection connection) {
      this.connection = connection;
    }

    void send(Presence.Type type, String to) throws Exception {
      connection.sendStanza(
          connection.getStanzaFactory().buildPresenceStanza().ofType(type).to(to).build());
    }

    void show(Presence.Mode mode, String status) throws Exception {
      connection.sendStanza(
          connection
              .getStanzaFactory()
              .buildPresenceStanza()
              .ofType(Presence.Type.available)
              .setMode(mode)
              .setStatus(status)
              .build());
    }

    /** The next presence from {@code from} that matches, skipping others; fails after WAIT. */
    Presence await(String from, Predicate<Presence> what, String description)
        throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<Presence> skipped = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        Presence p = presences.poll(100, TimeUnit.MILLISECONDS);
        if (p == null) {
          continue;
        }
        if (p.getFrom().asBareJid().toString().equals(from) && what.test(p)) {
          return p;
        }
        skipped.add(p);
      }
      fail("no " + description + " from " + from + "; got " + skipped);
      return null;
    }

    /** Nothing from {@code from} within {@code d} (ignoring what comes from anyone else). */
    void assertNothingFrom(String from, Duration d) throws InterruptedException {
      long deadline = System.nanoTime() + d.toNanos();
      while (System.nanoTime() < deadline) {
        Presence p = presences.poll(50, TimeUnit.MILLISECONDS);
        if (p != null && p.getFrom().asBareJid().toString().equals(from)) {
          fail("expected nothing from " + from + ", got " + p.toXML());
        }
      }
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what + "; Prosody's log:\n" + prosody.logTail());
      }
      Thread.sleep(20);
    }
  }

  private void publish(String user, String activity, String note) {
    herald
        .sipp("publish-activity", SippTransport.UDP)
        .service(user)
        .key("activity", activity)
        .key("note", note)
        .run()
        .assertPassed();
  }

  private static Predicate<Presence> ofType(Presence.Type type) {
    return p -> p.getType() == type;
  }

  // ---------------------------------------------------------------- XMPP users watching SIP users

  /** RFC 8048 §4.1, §6.3: subscribed, then the SIP user's PUBLISH as a presence change. */
  @Test
  void anXmppUserSeesASipUsersPublishAsPresence() throws Exception {
    herald = startHerald("");
    Client xena = login("xena");
    String alice = "alice@" + COMPONENT;

    xena.send(Presence.Type.subscribe, alice);
    xena.await(alice, ofType(Presence.Type.subscribed), "subscribed");
    xena.await(alice, ofType(Presence.Type.unavailable), "unavailable (nothing published)");

    publish("alice", "away", "at-lunch");
    Presence away =
        xena.await(alice, p -> p.getType() == Presence.Type.available, "available presence");
    assertEquals(Presence.Mode.away, away.getMode());
    assertEquals("at-lunch", away.getStatus());

    publish("alice", "vacation", "on-leave");
    Presence xa = xena.await(alice, p -> p.getMode() == Presence.Mode.xa, "xa");
    assertEquals("on-leave", xa.getStatus());

    publish("alice", "on-the-phone", "calling");
    xena.await(alice, p -> p.getMode() == Presence.Mode.dnd, "dnd (on the phone)");

    // RFC 6121 §3.3: unsubscribe ends the watch, and no change comes after it. (Herald's answer,
    // unsubscribed, is dropped by Prosody, as the subscription is gone already: §3.2.3.)
    xena.send(Presence.Type.unsubscribe, alice);
    herald.await("no watcher left", s -> s.subscriptions() == 0);
    publish("alice", "busy", "later");
    xena.assertNothingFrom(alice, Duration.ofMillis(500));
  }

  /** A SIP user not in the directory does not exist: RFC 6121 §3.1.3, unsubscribed. */
  @Test
  void subscribingToAnUnknownSipUserIsAnsweredUnsubscribed() throws Exception {
    herald = startHerald("");
    Client xena = login("xena");

    xena.send(Presence.Type.subscribe, "nobody@" + COMPONENT);

    xena.await("nobody@" + COMPONENT, ofType(Presence.Type.unsubscribed), "unsubscribed");
    assertEquals(0, herald.stats().subscriptions());
  }

  /**
   * RFC 3856 §6.6.2 under presence.authorization.default confirm: the XMPP watcher waits, pending,
   * until Herald.authorization() decides; allowed it gets subscribed and the state, denied
   * unsubscribed.
   */
  @Test
  void confirmKeepsAnXmppWatcherPendingUntilDecided() throws Exception {
    herald = startHerald(RunningHerald.presence("authorization: {default: confirm}"));
    publish("carol", "away", "in-the-garden");
    Client xena = login("xena");
    Client yuri = login("yuri");
    String carol = "carol@" + COMPONENT;

    xena.send(Presence.Type.subscribe, carol);
    yuri.send(Presence.Type.subscribe, carol);
    awaitTrue(
        "both XMPP users pending",
        () ->
            herald
                .herald()
                .authorization()
                .pending("sip:carol@herald.test")
                .containsAll(List.of("sip:xena@herald.test", "sip:yuri@herald.test")));
    xena.assertNothingFrom(carol, Duration.ofMillis(500));

    herald.herald().authorization().allow("sip:carol@herald.test", "sip:xena@herald.test");
    xena.await(carol, ofType(Presence.Type.subscribed), "subscribed");
    Presence state = xena.await(carol, ofType(Presence.Type.available), "carol's state");
    assertEquals(Presence.Mode.away, state.getMode());
    assertEquals("in-the-garden", state.getStatus());

    herald.herald().authorization().deny("sip:carol@herald.test", "sip:yuri@herald.test");
    yuri.await(carol, ofType(Presence.Type.unsubscribed), "unsubscribed");
    herald.await("only xena watches carol", s -> s.subscriptions() == 1);
  }

  /**
   * RFC 6121 §4.3: Prosody probes the SIP user for an XMPP user who logs in; Herald answers with
   * the current state. After Herald restarts (it keeps no watchers), the probe makes the XMPP user
   * a watcher again, and later changes reach it.
   */
  @Test
  void aProbeIsAnsweredAndRestoresTheWatcherAfterARestart() throws Exception {
    herald = startHerald("");
    Client zoe = login("zoe");
    String alice = "alice@" + COMPONENT;
    zoe.send(Presence.Type.subscribe, alice);
    zoe.await(alice, ofType(Presence.Type.subscribed), "subscribed");
    zoe.connection.disconnect();

    herald.close();
    herald = startHerald("");
    publish("alice", "away", "back-soon");
    Client again = login("zoe"); // initial presence: Prosody probes alice (RFC 6121 §4.3.1)
    Presence answer = again.await(alice, ofType(Presence.Type.available), "the probe's answer");
    assertEquals(Presence.Mode.away, answer.getMode());
    assertEquals("back-soon", answer.getStatus());
    herald.await("the watcher restored", s -> s.subscriptions() == 1);

    publish("alice", "busy", "busy-now");
    again.await(alice, p -> p.getMode() == Presence.Mode.dnd, "the next change");
  }

  // ---------------------------------------------------------------- SIP users watching XMPP users

  /**
   * RFC 8048 §5, §6.2: two SIP watchers of one XMPP user make the gateway subscribe once; each sees
   * the XMPP user's show change (away, then xa, kept apart) as NOTIFYs with RPID activities; after
   * the last leaves, the gateway unsubscribes (after xmpp.subscribe-linger, 1 s here).
   */
  @Test
  void sipWatchersOfAnXmppUserShareOneSubscription() throws Exception {
    herald = startHerald("");
    Client quinn = login("quinn");
    Resource quinnOnSip = new Resource("sip:quinn@herald.test", "presence");
    try (RunningSipp w1 =
            herald.sipp("watcher-xmpp-show", SippTransport.UDP).service("quinn").start();
        RunningSipp w2 =
            herald.sipp("watcher-xmpp-show", SippTransport.UDP).service("quinn").start()) {
      w1.awaitMilestone("subscribed", WAIT);
      w2.awaitMilestone("subscribed", WAIT);
      quinn.await(COMPONENT, ofType(Presence.Type.subscribe), "the gateway's subscribe");
      // Quinn's roster approves it (accept_all); Prosody then sends quinn's presence to it.
      awaitTrue(
          "quinn's state in Herald",
          () -> !herald.herald().presence().store().publications(quinnOnSip).isEmpty());

      quinn.show(Presence.Mode.away, "at lunch");
      w1.awaitMilestone("away", WAIT);
      w2.awaitMilestone("away", WAIT);
      quinn.show(Presence.Mode.xa, "on holiday");

      SippResult r1 = w1.awaitExit(WAIT).assertPassed();
      SippResult r2 = w2.awaitExit(WAIT).assertPassed();
      assertTrue(r1.received("NOTIFY") >= 4, r1.describe()); // initial, away, xa, final
      assertTrue(r2.received("NOTIFY") >= 4, r2.describe());
    }
    quinn.await(COMPONENT, ofType(Presence.Type.unsubscribe), "the gateway's unsubscribe");
    quinn.assertNothingFrom(COMPONENT, Duration.ofMillis(300));
    assertEquals(1, quinn.count(COMPONENT, Presence.Type.subscribe), "one for both watchers");
    assertEquals(1, quinn.count(COMPONENT, Presence.Type.unsubscribe));
    awaitTrue(
        "quinn's state removed",
        () -> herald.herald().presence().store().publications(quinnOnSip).isEmpty());
  }

  /** The issue: while the component is down, a SUBSCRIBE to an XMPP user gets 503, Retry-After. */
  @Test
  void whileTheComponentIsDownASubscribeToAnXmppUserGets503() throws Exception {
    String down =
            """
        xmpp:
          port: %d
          component-domain: %s
          secret-file: %s
          domains: {herald.test: %s}
        """
            .formatted(
                dev.herald.fixtures.sipp.LoopbackPorts.freeUdpAndTcpPort(),
                COMPONENT,
                folder.resolve("xmpp-secret"),
                XMPP_DOMAIN);
    herald = RunningHerald.start(down);
    try (SipUdpClient watcher = SipUdpClient.open(herald.port())) {
      watcher.send(
          watcher
              .request("SUBSCRIBE", "sip:quinn@herald.test")
              .header("From", "<sip:carol@herald.test>;tag=w1")
              .header("To", "<sip:quinn@herald.test>")
              .header("Call-ID", "xmpp-down-1")
              .header("CSeq", "1 SUBSCRIBE")
              .header("Contact", watcher.contact("carol"))
              .header("Event", "presence")
              .header("Expires", "600"));
      var response = watcher.nextResponse();
      assertEquals(503, response.getStatusCode(), response.toString());
      assertTrue(response.getReasonPhrase().contains("XMPP gateway down"), response.toString());
      assertNotNull(response.getHeader("Retry-After"), response.toString());
      // A local user is served as ever.
      watcher.send(
          watcher
              .request("SUBSCRIBE", "sip:alice@herald.test")
              .header("From", "<sip:carol@herald.test>;tag=w2")
              .header("To", "<sip:alice@herald.test>")
              .header("Call-ID", "xmpp-down-2")
              .header("CSeq", "1 SUBSCRIBE")
              .header("Contact", watcher.contact("carol"))
              .header("Event", "presence")
              .header("Expires", "0"));
      assertEquals(200, watcher.nextResponse().getStatusCode());
      watcher.answer(watcher.nextRequest(), 200); // the fetch's NOTIFY
    }
  }
}
