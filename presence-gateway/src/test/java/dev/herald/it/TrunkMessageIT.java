package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * ARCHITECTURE's {@code ImRouter -> CUCM trunk}: a MESSAGE (RFC 3428) to a user homed on a CUCM
 * trunk (listed in its {@code telephony-source}) goes to the trunk's peer in service as Herald's
 * own MESSAGE leg (B2BUA), and the trunk's final answer comes back to the sender; with no peer in
 * service the sender gets 503 with Retry-After. SIPp plays the trunk ({@code cucm-message-uas},
 * answering OPTIONS pings too) and the sender ({@code im-sender}). The status is asserted from
 * SIPp's per-step counts: im-sender's own comparison with its {@code expect} key does not fail a
 * call in SIPp 3.6.1 (a wrong expect passed when tried).
 */
class TrunkMessageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String trunk(int port) {
    return
        """
        trunks:
          - name: cucm1
            peers: [{host: 127.0.0.1, port: %d, transport: udp}]
            options-interval: 1
            telephony-source: [sip:yvonne@herald.test]
        """
        .formatted(port);
  }

  private static RunningSipp cucm(int port, String status) {
    return Sipp.scenario("cucm-message-uas")
        .localPort(port)
        .transport(SippTransport.UDP)
        .key("status", status)
        .calls(1_000)
        .timeout(Duration.ofSeconds(60))
        .start();
  }

  private static void awaitInService(TrunkMonitor monitor, TrunkPeer peer)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (monitor.health(peer).orElseThrow().state() != PeerState.IN_SERVICE) {
      if (System.nanoTime() - deadline > 0) {
        fail("trunk peer " + peer + " not in service: " + monitor.health(peer));
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aMessageToATrunksUserCrossesTheTrunkAndItsAnswerComesBack() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningHerald herald = RunningHerald.start(trunk(cucmPort));
        RunningSipp cucm = cucm(cucmPort, "200")) {
      awaitInService(herald.herald().trunks(), new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP));

      SippResult sent =
          herald.sipp("im-sender", SippTransport.UDP).service("yvonne").key("expect", "200").run();

      sent.assertPassed();
      assertEquals(1, sent.received("200"), sent.describe());
      cucm.awaitMilestone("message", WAIT);
    }
  }

  @Test
  void theTrunksErrorReachesTheSender() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningHerald herald = RunningHerald.start(trunk(cucmPort));
        RunningSipp cucm = cucm(cucmPort, "486")) {
      awaitInService(herald.herald().trunks(), new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP));

      SippResult sent =
          herald
              .sipp("im-sender", SippTransport.UDP)
              .service("yvonne")
              .key("expect", "486")
              .run()
              .assertPassed();
      assertEquals(1, sent.received("486"), sent.describe());
      cucm.awaitMilestone("message", WAIT);
    }
  }

  /** Nothing answers the trunk's pings: no peer in service, 503 with Retry-After at once. */
  @Test
  void withNoPeerInServiceTheSenderGets503WithRetryAfter() throws Exception {
    int silentPort = LoopbackPorts.freeUdpAndTcpPort();
    try (RunningHerald herald = RunningHerald.start(trunk(silentPort))) {
      SippResult sent =
          herald
              .sipp("im-sender", SippTransport.UDP)
              .service("yvonne")
              .key("expect", "503")
              .key("retry_after", "yes")
              .run()
              .assertPassed();
      assertEquals(1, sent.received("503"), sent.describe());
      assertTrue(
          sent.messages()
              .contains("SIP/2.0 503 Service Unavailable (no peer of trunk cucm1 is in service)"),
          sent.describe());
      assertTrue(sent.messages().contains("Retry-After: 30"), sent.describe());
      assertNotEquals(
          PeerState.IN_SERVICE,
          herald.herald().trunks().peers().get(0).state(),
          "the silent peer is not in service");
    }
  }
}
