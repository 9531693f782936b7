package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code trunks} list: what a valid one reads as, and what its peers are trusted for. */
class TrunksTest {

  @Test
  void validTrunksReadWithDefaultsAndNormalisedEntries() throws Exception {
    HeraldConfig config = ConfigLoader.load(ConfigValidationTest.fixture("valid/trunks.yaml"));

    assertEquals(
        List.of(
            new Trunk(
                "cucm1",
                List.of(
                    new TrunkPeer("192.0.2.10", 5060, Transport.UDP),
                    new TrunkPeer("192.0.2.11", 5060, Transport.TCP)),
                30,
                new TelephonySource(
                    false, List.of("sip:alice@herald.test", "*@phones.herald.test"))),
            new Trunk(
                "cucm2",
                List.of(new TrunkPeer("198.51.100.7", 5070, Transport.UDP)),
                60,
                TelephonySource.notHomedUsers(),
                600,
                0),
            new Trunk(
                "lab",
                List.of(new TrunkPeer("2001:db8::1", 5060, Transport.UDP)),
                60,
                TelephonySource.NOBODY)),
        config.trunks());
  }

  @Test
  void noTrunksWithoutTheList() throws Exception {
    HeraldConfig config = ConfigLoader.load(ConfigValidationTest.fixture("valid/minimal.yaml"));

    assertEquals(List.of(), config.trunks());
  }

  @Test
  void trunkPeersAreTrustedBesideTheTrustedPeers() throws Exception {
    HeraldConfig config = ConfigLoader.load(ConfigValidationTest.fixture("valid/trunks.yaml"));

    assertTrue(config.trusts(InetAddress.getByName("192.0.2.11")));
    assertTrue(config.trusts(InetAddress.getByName("2001:db8:0:0::1")));
    assertFalse(config.trusts(InetAddress.getByName("192.0.2.12")));
    assertFalse(config.security().trusts(InetAddress.getByName("192.0.2.10")));
  }

  @Test
  void telephonySourceCoversListedAddressesAndWholeDomains() {
    TelephonySource listed =
        new TelephonySource(false, List.of("sip:alice@herald.test", "*@phones.herald.test"));

    assertTrue(listed.covers("sip:alice@herald.test", true));
    assertFalse(listed.covers("sip:bob@herald.test", false));
    assertTrue(listed.covers("sip:4001@phones.herald.test", true));
    assertFalse(listed.covers("sip:4001@herald.test", false));
    assertFalse(TelephonySource.NOBODY.covers("sip:alice@herald.test", false));
  }

  @Test
  void notHomedCoversOnlyUsersHeraldDoesNotHold() {
    assertTrue(TelephonySource.notHomedUsers().covers("sip:4001@herald.test", false));
    assertFalse(TelephonySource.notHomedUsers().covers("sip:alice@herald.test", true));
  }
}
