package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
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
