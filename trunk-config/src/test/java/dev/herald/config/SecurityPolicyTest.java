package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The security section: the realm's default and which addresses the trusted peers cover. */
class SecurityPolicyTest {

  private static final String LISTENER =
      """
      listeners:
        - {transport: udp, address: 127.0.0.1, port: 5060}
      """;

  @Test
  void realmDefaultsToTheFirstDomain() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(LISTENER + "domains: [Presence.Example.COM, herald.test]\n", "test");

    assertEquals("presence.example.com", config.security().realm());
  }

  @Test
  void realmGivenIsKeptAsWritten() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            LISTENER + "domains: [herald.test]\nsecurity:\n  realm: Herald Users\n", "test");

    assertEquals("Herald Users", config.security().realm());
  }

  @Test
  void sectionAsWrittenIsKept() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            LISTENER
                +
                """
                domains: [herald.test]
                security:
                  trusted-peers: [10.1.0.0/16, "2001:db8::/32", 192.0.2.10]
                  nonce-lifetime: 10
                  algorithms: [MD5]
                """,
            "test");

    assertEquals(
        new SecurityPolicy(
            "herald.test",
            List.of("10.1.0.0/16", "2001:db8::/32", "192.0.2.10"),
            10,
            List.of("MD5")),
        config.security());
  }

  @ParameterizedTest(name = "{0} trusts {1}: {2}")
  @CsvSource({
    "127.0.0.1,       127.0.0.1,     true",
    "127.0.0.1,       127.0.0.2,     false",
    "127.0.0.1/32,    127.0.0.1,     true",
    "10.1.0.0/16,     10.1.255.254,  true",
    "10.1.0.0/16,     10.2.0.1,      false",
    "10.0.0.0/9,      10.127.0.1,    true",
    "10.0.0.0/9,      10.128.0.1,    false",
    "2001:db8::/32,   2001:db8:1::5, true",
    "2001:db8::/32,   2001:db9::5,   false",
    "::1,             ::1,           true",
    // An IPv4 block holds no IPv6 address, and the other way round.
    "127.0.0.1,       ::1,           false",
    "::/1,            127.0.0.1,     false",
  })
  void trustsTheAddressesOfItsPeers(String peer, String address, boolean trusted) {
    SecurityPolicy policy = new SecurityPolicy("herald.test", List.of(peer), 300, List.of("MD5"));

    assertEquals(trusted, policy.trusts(IpLiterals.parse(address)));
  }

  @Test
  void trustsNoOneWithoutPeers() throws Exception {
    SecurityPolicy policy = new SecurityPolicy("herald.test", List.of(), 300, List.of("MD5"));

    assertEquals(false, policy.trusts(InetAddress.getLoopbackAddress()));
  }

  @Test
  void recordRefusesWhatTheFileWouldRefuse() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SecurityPolicy("herald.test", List.of("cucm.example.com"), 300, List.of("MD5")));
  }
}
