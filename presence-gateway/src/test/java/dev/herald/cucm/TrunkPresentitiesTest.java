package dev.herald.cucm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.config.TelephonySource;
import dev.herald.config.Transport;
import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.directory.RemotePresentities;
import dev.herald.sip.Rejection;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrunkPresentitiesTest {

  /** The XMPP users of the paired domain: xavier is one; while the component is down, 503. */
  private static final RemotePresentities XMPP =
      new RemotePresentities() {
        @Override
        public boolean serves(String address) {
          return address.startsWith("sip:xavier@");
        }

        @Override
        public Rejection unavailable(String address) {
          return Rejection.of(503, "Service Unavailable (XMPP gateway down)", "Retry-After", "5");
        }
      };

  @Test
  void withoutTrunksOnlyTheGatewaysUsersAreServed() {
    TrunkPresentities p = new TrunkPresentities(List.of(), XMPP);
    assertFalse(p.serves("sip:yvonne@herald.test"));
    assertTrue(p.serves("sip:xavier@herald.test"));
    assertEquals(503, p.unavailable("sip:xavier@herald.test").status());
  }

  @Test
  void aListedAddressIsTheTrunksAndWatchableAtOnce() {
    TrunkPresentities p =
        new TrunkPresentities(
            List.of(trunk(new TelephonySource(false, List.of("sip:xavier@herald.test")))), XMPP);
    assertTrue(p.serves("sip:xavier@herald.test"));
    assertNull(p.unavailable("sip:xavier@herald.test"), "the trunk's, not the XMPP gateway's");
    assertFalse(p.serves("sip:yvonne@herald.test"));
  }

  @Test
  void notHomedServesEveryUnknownAddressButLeavesTheGatewaysUsersToIt() {
    TrunkPresentities p =
        new TrunkPresentities(List.of(trunk(TelephonySource.notHomedUsers())), XMPP);
    assertTrue(p.serves("sip:yvonne@herald.test"));
    assertNull(p.unavailable("sip:yvonne@herald.test"));
    assertTrue(p.serves("sip:xavier@herald.test"));
    assertEquals(503, p.unavailable("sip:xavier@herald.test").status());
  }

  @Test
  void aWholeDomainEntryCoversItsAddresses() {
    TrunkPresentities p =
        new TrunkPresentities(
            List.of(trunk(new TelephonySource(false, List.of("*@cucm.test")))),
            RemotePresentities.NONE);
    assertTrue(p.serves("sip:anyone@cucm.test"));
    assertFalse(p.serves("sip:anyone@herald.test"));
  }

  private static Trunk trunk(TelephonySource source) {
    return new Trunk("cucm1", List.of(new TrunkPeer("127.0.0.1", 5060, Transport.UDP)), 60, source);
  }
}
