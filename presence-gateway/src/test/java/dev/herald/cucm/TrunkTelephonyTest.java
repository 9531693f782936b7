package dev.herald.cucm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.config.TelephonySource;
import dev.herald.config.Transport;
import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests are a trunk's telephony presence: the peer's host, and the trunk's source. */
class TrunkTelephonyTest {
  private static final Trunk LISTED =
      new Trunk(
          "cucm1",
          List.of(new TrunkPeer("192.0.2.10", 5060, Transport.UDP)),
          60,
          new TelephonySource(false, List.of("sip:alice@herald.test", "*@phones.herald.test")));
  private static final Trunk NOT_HOMED =
      new Trunk(
          "cucm2",
          List.of(new TrunkPeer("2001:db8::1", 5060, Transport.UDP)),
          60,
          TelephonySource.notHomedUsers());

  private final TrunkTelephony telephony =
      new TrunkTelephony(List.of(LISTED, NOT_HOMED), "sip:alice@herald.test"::equals);

  @Test
  void aListedAddressFromTheTrunksPeer() {
    assertTrue(telephony.isTelephony("192.0.2.10", "sip:alice@herald.test"));
    assertTrue(telephony.isTelephony("192.0.2.10", "sip:4001@phones.herald.test"));
    assertFalse(telephony.isTelephony("192.0.2.10", "sip:bob@herald.test"));
  }

  @Test
  void notFromAPeerIsNeverTelephony() {
    assertFalse(telephony.isTelephony("192.0.2.99", "sip:alice@herald.test"));
  }

  @Test
  void notHomedCoversWhoeverTheDirectoryDoesNotKnow() {
    assertTrue(telephony.isTelephony("2001:db8:0::1", "sip:4001@herald.test"));
    assertFalse(telephony.isTelephony("2001:db8::1", "sip:alice@herald.test"));
  }
}
