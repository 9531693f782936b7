package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.config.Transport;
import dev.herald.config.TrunkPeer;
import dev.herald.cucm.PeerState;
import dev.herald.cucm.TrunkMonitor;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
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
