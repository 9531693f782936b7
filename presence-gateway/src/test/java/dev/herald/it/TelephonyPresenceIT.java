package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Telephony presence from a CUCM trunk (issue 4): a SIPp CUCM on 127.0.0.1, a trunk peer whose
 * telephony-source is alice, PUBLISHes (or NOTIFYs, unsolicited) alice on the phone and then
 * available; a SIPp watcher of alice sees a NOTIFY with the RFC 4480 on-the-phone activity, then
 * one without it.
 */
class TelephonyPresenceIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static RunningHerald herald;

  @BeforeAll
  static void start() throws Exception {
    // Nothing listens on the peer's port: the trunk's OPTIONS pings go unanswered, which does not
    // matter here; what makes 127.0.0.1 the telephony source is the peer's host.
    int silentPort = LoopbackPorts.freeUdpAndTcpPort();
    herald =
        RunningHerald.start(
                """
            trunks:
              - name: cucm1
                peers: [{host: 127.0.0.1, port: %d, transport: udp}]
                telephony-source: [sip:alice@herald.test]
            """
                .formatted(silentPort));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void cucmPublishReachesTheWatcherAsOnThePhoneThenAvailable() {
    watchWhile("cucm-phone-publisher");
  }

  @Test
  void unsolicitedNotifyFromCucmIsTakenTheSameWay() {
    watchWhile("cucm-phone-notify");
  }

  private static final String PIDF =
      "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@herald.test\">"
          + "<tuple id=\"t\"><status><basic>open</basic></status></tuple></presence>";

  private static int cseq = 1;

  /** An out-of-dialog NOTIFY from 127.0.0.1 (the trunk peer's host) to Herald's socket. */
  private static SipUdpClient.Draft notify(SipUdpClient cucm, String from) {
    return cucm.request("NOTIFY", "sip:127.0.0.1:" + herald.port())
        .header("From", "<" + from + ">;tag=cucm")
        .header("To", "<" + from + ">")
        .header("Call-ID", "unsolicited-" + cseq)
        .header("CSeq", cseq++ + " NOTIFY")
        .header("Contact", cucm.contact("cucm"));
  }

  private static void assertAnswer(SipUdpClient cucm, SipUdpClient.Draft draft, int status)
      throws Exception {
    cucm.send(draft);
    Response r = cucm.nextResponse();
    assertEquals(status, r.getStatusCode(), r.toString());
  }

  /** RFC 6665 §4.1.3 and RFC 3903-like checks on an unsolicited NOTIFY; each reason says why. */
  @Test
  void unsolicitedNotifyErrors() throws Exception {
    try (SipUdpClient cucm = SipUdpClient.open(herald.port())) {
      // bob is not in the trunk's telephony-source: a NOTIFY of no subscription
      assertAnswer(
          cucm,
          notify(cucm, "sip:bob@herald.test")
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body(PIDF),
          481);
      assertAnswer(
          cucm,
          notify(cucm, "sip:alice@herald.test")
              .header("Event", "dialog")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body(PIDF),
          489);
      assertAnswer(
          cucm,
          notify(cucm, "sip:alice@herald.test")
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "text/plain")
              .body("on the phone"),
          415);
      assertAnswer(
          cucm,
          notify(cucm, "sip:alice@herald.test")
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60")
              .header("Content-Type", "application/pidf+xml")
              .body("<presence"),
          400);
      assertAnswer(
          cucm,
          notify(cucm, "sip:alice@herald.test")
              .header("Event", "presence")
              .header("Subscription-State", "active;expires=60"),
          400);
      // terminated removes whatever the trunk said, and is answered 200 even with nothing there
      assertAnswer(
          cucm,
          notify(cucm, "sip:alice@herald.test")
              .header("Event", "presence")
              .header("Subscription-State", "terminated;reason=noresource"),
          200);
    }
  }

  private static void watchWhile(String cucmScenario) {
    try (RunningSipp watcher =
        herald.sipp("watcher-phone", SippTransport.UDP).service("alice").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald.sipp(cucmScenario, SippTransport.UDP).service("alice").run().assertPassed();
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // initial, on the phone, available, unsubscribe
      assertEquals(4, w.received("NOTIFY"), w.describe());
    }
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }
}
