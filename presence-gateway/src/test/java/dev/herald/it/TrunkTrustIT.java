package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import org.junit.jupiter.api.Test;

/**
 * A trunk's peers are trusted beside security.trusted-peers (issue 4): with no trusted peer, a
 * PUBLISH without credentials from a trunk peer's host is accepted, and from any other host it is
 * challenged.
 */
class TrunkTrustIT {

  private static String trunkOn(String host) {
    return
        """
        trunks:
          - name: cucm1
            peers: [{host: %s, port: %d, transport: udp}]
        """
        .formatted(host, LoopbackPorts.freeUdpAndTcpPort());
  }

  @Test
  void aTrunkPeerIsNotChallenged() throws Exception {
    try (RunningHerald herald = RunningHerald.startUntrustedWith(trunkOn("127.0.0.1"))) {
      herald.sipp("publish-once", SippTransport.UDP).service("alice").run().assertPassed();
      assertEquals(1, herald.stats().publications());
    }
  }

  @Test
  void anotherHostIsChallenged() throws Exception {
    try (RunningHerald herald = RunningHerald.startUntrustedWith(trunkOn("127.0.0.2"))) {
      SippResult r = herald.sipp("publish-once", SippTransport.UDP).service("alice").run();
      assertFalse(r.passed(), r.describe());
      // The challenge is the message the scenario did not expect.
      assertEquals(1, r.unexpected(), r.describe());
      assertTrue(r.describe().contains("401 Unauthorized"), r.describe());
      assertEquals(0, herald.stats().publications());
    }
  }
}
