package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.config.Transport;
import dev.herald.config.TrunkPeer;
import dev.herald.cucm.PeerHealth;
import dev.herald.cucm.PeerState;
import dev.herald.cucm.TrunkMonitor;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Trunk health against a SIPp CUCM that answers OPTIONS, goes silent and comes back: the peer is in
 * service, out of service within the answer deadline, then in service again (issue 4, trunk health;
 * CUCM's own rule: no answer, 408 or 503 is out of service).
 */
class TrunkHealthIT {

  private static Sipp responder(int port) {
    return Sipp.scenario("cucm-options-responder")
        .localPort(port)
        .transport(SippTransport.UDP)
        .calls(1_000)
        .timeout(Duration.ofSeconds(60));
  }

  @Test
  void aSilentPeerGoesOutOfServiceAndComesBack() throws Exception {
    int cucmPort = LoopbackPorts.freeUdpAndTcpPort();
    TrunkPeer peer = new TrunkPeer("127.0.0.1", cucmPort, Transport.UDP);
    String trunks =
            """
        trunks:
          - name: cucm1
            peers: [{host: 127.0.0.1, port: %d, transport: udp}]
            options-interval: 1
        """
            .formatted(cucmPort);
    try (RunningHerald herald = RunningHerald.start(trunks)) {
      TrunkMonitor monitor = herald.herald().trunks();
      try (RunningSipp cucm = responder(cucmPort).start()) {
        cucm.awaitMilestone("answered", 2, Duration.ofSeconds(10));
        awaitState(monitor, peer, PeerState.IN_SERVICE);
        assertEquals(Optional.of(peer), monitor.nextInService("cucm1"));
      }

      // SIPp is gone: the pings go unanswered.
      PeerHealth silent = awaitState(monitor, peer, PeerState.OUT_OF_SERVICE);
      assertEquals("no answer within 1 s", silent.reason());
      assertEquals(Optional.empty(), monitor.nextInService("cucm1"));

      try (RunningSipp cucm = responder(cucmPort).start()) {
        cucm.awaitMilestone("answered", Duration.ofSeconds(10));
        PeerHealth back = awaitState(monitor, peer, PeerState.IN_SERVICE);
        assertEquals("200 OK", back.reason());
      }
    }
  }

  private static PeerHealth awaitState(TrunkMonitor monitor, TrunkPeer peer, PeerState state)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      PeerHealth health = monitor.health(peer).orElseThrow();
      if (health.state() == state) {
        return health;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("peer " + peer + " did not become " + state + "; it is " + health);
      }
      Thread.sleep(20);
    }
  }
}
