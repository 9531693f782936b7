package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.config.Transport;
import dev.herald.config.TrunkPeer;
import dev.herald.cucm.BackendStats;
import dev.herald.cucm.PeerState;
import dev.herald.cucm.TrunkMonitor;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import java.util.function.Predicate;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * The subscription B2BUA against a SIPp CUCM (the CUCM-trunk issue, back-end subscriptions; RFC
 * 6665 §4.1 from Herald's side): three watchers of alice, whose phone state lives on the trunk,
 * make exactly one SUBSCRIBE at CUCM; each sees alice on the phone from CUCM's NOTIFY; the back-end
 * subscription is refreshed (CUCM grants 3 s) and, a linger (1 s) after the last watcher left,
 * ended with Expires: 0.
 */
class BackendSubscriptionIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void threeWatchersOneSubscribeRefreshedThenEnded() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    // Two calls: the one OPTIONS ping (the interval outlasts the test) and the subscription.
    try (RunningSipp cucm =
        Sipp.scenario("cucm-subscription-uas")
            .localPort(cucmPort)
            .transport(SippTransport.UDP)
            .calls(2)
            .timeout(Duration.ofSeconds(60))
            .start()) {
      String trunks =
              """
          trunks:
            - name: cucm1
              peers: [{host: 127.0.0.1, port: %d, transport: udp}]
              options-interval: 3600
              telephony-source: [sip:alice@herald.test]
              subscribe-linger: 1
          """
              .formatted(cucmPort);
      try (RunningHerald herald = RunningHerald.start(trunks)) {
        cucm.awaitMilestone("answered", Duration.ofSeconds(10));
        awaitInService(
            herald.herald().trunks(), new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP));

        try (RunningSipp first =
            herald.sipp("watcher-phone-hold", SippTransport.UDP).service("alice").start()) {
          first.awaitMilestone("on-the-phone", WAIT);
          SippResult others =
              herald
                  .sipp("watcher-phone-hold", SippTransport.UDP)
                  .service("alice")
                  .calls(2)
                  .run()
                  .assertPassed();
          assertEquals(2, others.successfulCalls(), others.describe());
          first.awaitExit(WAIT).assertPassed();
        }
        long watchersGone = System.nanoTime();
        cucm.awaitMilestone("unsubscribed", Duration.ofSeconds(10));
        long lingered = System.nanoTime() - watchersGone;
        // The linger is 1 s; the Expires: 0 must come soon after it, not at the next refresh.
        assertTrue(
            lingered < Duration.ofSeconds(4).toNanos(),
            "Expires: 0 came " + Duration.ofNanos(lingered) + " after the last watcher left");

        SippResult c = cucm.awaitExit(WAIT).assertPassed();
        assertEquals(1, milestones(c, "subscribed"), "initial SUBSCRIBEs\n" + c.describe());
        // With -m 2, SIPp takes no third call: another initial SUBSCRIBE would be discarded
        // (and so not counted above), which its message trace says.
        assertTrue(
            !c.messages().contains("Discarded message for new calls"),
            "a SUBSCRIBE beyond the one expected reached CUCM\n" + c.describe());
        assertTrue(milestones(c, "refreshed") >= 1, "refreshes\n" + c.describe());
        assertEquals(1, milestones(c, "unsubscribed"), c.describe());
        herald.await("no subscription left", s -> s.subscriptions() == 0);
      }
    }
  }

  /**
   * NOTIFYs in a back-end dialog get the same checks as an unsolicited one (RFC 6665 §4.1.3), and
   * the dialog is known from its first NOTIFY even before the SUBSCRIBE is answered (RFC 6665
   * §4.1.2.4): here CUCM (a plain UDP client) never answers it.
   */
  @Test
  void notifiesInTheBackEndDialogAreCheckedAndReachTheWatcherBeforeTheTwoHundred()
      throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    String trunks =
            """
        trunks:
          - name: cucm1
            peers: [{host: 127.0.0.1, port: %d, transport: udp}]
            options-interval: 1
            telephony-source: [sip:alice@herald.test]
            subscribe-linger: 1
        """
            .formatted(cucmPort);
    try (RunningHerald herald = RunningHerald.start(trunks);
        SipUdpClient cucm = SipUdpClient.open(cucmPort, herald.port());
        SipUdpClient watcher = SipUdpClient.open(herald.port())) {
      TrunkPeer peer = new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (herald.herald().trunks().health(peer).orElseThrow().state() != PeerState.IN_SERVICE) {
        cucm.answer(next(cucm, "OPTIONS"), 200);
        assertTrue(System.nanoTime() - deadline < 0, "peer not in service");
      }
      watcher.send(
          watcher
              .request("SUBSCRIBE", "sip:alice@herald.test")
              .header("From", "<sip:watcher@herald.test>;tag=w1")
              .header("To", "<sip:alice@herald.test>")
              .header("Call-ID", "backend-watcher-1")
              .header("CSeq", "1 SUBSCRIBE")
              .header("Contact", watcher.contact("watcher"))
              .header("Event", "presence")
              .header("Expires", "600"));
      assertEquals(200, watcher.nextResponse().getStatusCode());
      watcher.answer(watcher.nextRequest(), 200);

      Request subscribe = next(cucm, "SUBSCRIBE");
      String from = ((FromHeader) subscribe.getHeader(FromHeader.NAME)).toString();
      String heraldParty = from.substring(from.indexOf(':') + 1).strip();
      String callId = ((CallIdHeader) subscribe.getHeader(CallIdHeader.NAME)).getCallId();
      String target =
          ((ContactHeader) subscribe.getHeader(ContactHeader.NAME))
              .getAddress()
              .getURI()
              .toString();
      int[] cseq = {1};
      java.util.function.Supplier<SipUdpClient.Draft> notify =
          () ->
              cucm.request("NOTIFY", target)
                  .header("From", "<sip:alice@herald.test>;tag=cucm-1")
                  .header("To", heraldParty)
                  .header("Call-ID", callId)
                  .header("CSeq", cseq[0]++ + " NOTIFY")
                  .header("Contact", cucm.contact("alice"));
      String onThePhone =
          "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
              + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
              + " xmlns:e=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:alice@herald.test\">"
              + "<tuple id=\"cucm\"><status><basic>closed</basic></status></tuple>"
              + "<dm:person id=\"p\"><e:activities><e:on-the-phone/></e:activities></dm:person>"
              + "</presence>";
      assertStatus(
          cucm,
          notify
              .get()
              .header("Event", "dialog")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body(onThePhone),
          489);
      assertStatus(
          cucm,
          notify
              .get()
              .header("Event", "presence")
              .header("Content-Type", "application/pidf+xml")
              .body(onThePhone),
          400);
      assertStatus(
          cucm,
          notify
              .get()
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "text/plain")
              .body("on the phone"),
          415);
      assertStatus(
          cucm,
          notify
              .get()
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body("<presence"),
          400);
      assertStatus(
          cucm,
          notify
              .get()
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body(onThePhone),
          200);
      Request toWatcher = watcher.nextRequest();
      watcher.answer(toWatcher, 200);
      String body = new String(toWatcher.getRawContent(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(body.contains(":on-the-phone/>"), body);
    }
  }

  private static String trunk(int cucmPort) {
    return
        """
        trunks:
          - name: cucm1
            peers: [{host: 127.0.0.1, port: %d, transport: udp}]
            options-interval: 3600
            telephony-source: [sip:alice@herald.test]
            subscribe-linger: 1
        """
        .formatted(cucmPort);
  }

  /**
   * RFC 6665 §4.1.2.3 at shutdown: Herald ends its live back-end subscription with SUBSCRIBE
   * Expires: 0 before it goes (and its own watcher gets terminated;reason=deactivated).
   */
  @Test
  void shutdownEndsTheBackEndSubscriptionWithExpiresZero() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningSipp cucm =
        Sipp.scenario("cucm-subscription-shutdown")
            .localPort(cucmPort)
            .transport(SippTransport.UDP)
            .calls(2)
            .timeout(Duration.ofSeconds(60))
            .start()) {
      RunningHerald herald = RunningHerald.start(trunk(cucmPort));
      try (herald;
          RunningSipp watcher =
              herald.sipp("watcher-shutdown", SippTransport.UDP).service("alice").start()) {
        cucm.awaitMilestone("answered", Duration.ofSeconds(10));
        awaitInService(
            herald.herald().trunks(), new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP));
        watcher.awaitMilestone("subscribed", WAIT);
        cucm.awaitMilestone("subscribed", WAIT);
        awaitBackends(herald, s -> s.active() == 1);

        herald.close();

        SippResult c = cucm.awaitExit(WAIT).assertPassed();
        assertEquals(1, milestones(c, "unsubscribed"), c.describe());
        watcher.awaitExit(WAIT).assertPassed();
        assertEquals(new BackendStats(0, 0, 0, 0, 0), herald.herald().backendStats());
      }
    }
  }

  /**
   * RFC 6665 §4.1.2.1 / RFC 3261 §21.4.17: CUCM answers the back-end SUBSCRIBE 423 with
   * Min-Expires: 1800; Herald asks again at once with Expires: 1800, and the watcher gets CUCM's
   * state through the subscription that makes.
   */
  @Test
  void intervalTooBriefIsRetriedAtOnceWithMinExpires() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningSipp cucm =
        Sipp.scenario("cucm-subscription-423")
            .localPort(cucmPort)
            .transport(SippTransport.UDP)
            .calls(2)
            .timeout(Duration.ofSeconds(60))
            .start()) {
      // Herald asks for 600 s, less than the simulator's Min-Expires of 1800.
      String trunk = trunk(cucmPort) + "    subscribe-expires: 600\n";
      try (RunningHerald herald = RunningHerald.start(trunk)) {
        cucm.awaitMilestone("answered", Duration.ofSeconds(10));
        awaitInService(
            herald.herald().trunks(), new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP));
        long start = System.nanoTime();
        herald.sipp("watcher-phone-hold", SippTransport.UDP).service("alice").run().assertPassed();
        SippResult c = cucm.awaitExit(WAIT).assertPassed();
        assertEquals(1, milestones(c, "too-brief"), c.describe());
        assertEquals(1, milestones(c, "subscribed"), c.describe());
        assertEquals(1, milestones(c, "unsubscribed"), c.describe());
        BackendStats stats = herald.herald().backendStats();
        assertEquals(1, stats.retries(), stats.toString());
        assertEquals(0, stats.failures(), stats.toString());
        // "at once": no backoff (1 s and more) came between the 423 and the second SUBSCRIBE, so
        // the whole run is the watcher's 4 s hold, the 1 s linger and the exchanges.
        assertTrue(
            System.nanoTime() - start < Duration.ofSeconds(15).toNanos(),
            Duration.ofNanos(System.nanoTime() - start).toString());
      }
    }
  }

  private static void awaitBackends(RunningHerald herald, Predicate<BackendStats> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.test(herald.herald().backendStats())) {
      if (System.nanoTime() - deadline > 0) {
        fail("back-end subscriptions: " + herald.herald().backendStats());
      }
      Thread.sleep(20);
    }
  }

  /**
   * The next request of {@code method} at the simulated CUCM, answering OPTIONS pings on the way.
   */
  private static Request next(SipUdpClient cucm, String method) throws Exception {
    while (true) {
      Request r = cucm.nextRequest();
      if (r.getMethod().equals(method)) {
        return r;
      }
      if (r.getMethod().equals("OPTIONS")) {
        cucm.answer(r, 200);
      }
    }
  }

  /** Sends {@code draft} and expects {@code status}, answering OPTIONS pings meanwhile. */
  private static void assertStatus(SipUdpClient cucm, SipUdpClient.Draft draft, int status)
      throws Exception {
    cucm.send(draft);
    Response r = cucm.nextResponse();
    assertEquals(status, r.getStatusCode(), r.toString());
  }

  private static long milestones(SippResult result, String name) {
    return result.log().lines().filter(l -> l.strip().equals("milestone: " + name)).count();
  }

  private static void awaitInService(TrunkMonitor monitor, TrunkPeer peer)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (monitor.health(peer).orElseThrow().state() != PeerState.IN_SERVICE) {
      if (System.nanoTime() - deadline > 0) {
        fail("peer " + peer + " not in service: " + monitor.health(peer));
      }
      Thread.sleep(20);
    }
  }
}
