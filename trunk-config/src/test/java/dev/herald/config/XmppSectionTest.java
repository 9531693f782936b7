package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The xmpp section (XEP-0114 component, RFC 7247 domains): what it becomes and its defaults. */
class XmppSectionTest {

  @Test
  void everyKeyAsWrittenWithDomainsLowerCasedInOrder() throws Exception {
    Path file = ConfigValidationTest.fixture("valid/xmpp.yaml");
    Path folder = file.toAbsolutePath().getParent();

    HeraldConfig config = ConfigLoader.load(file);

    assertEquals(
        Optional.of(
            new XmppSettings(
                "xmpp.herald.test",
                15_347,
                "sip.herald.test",
                PasswordSource.file(folder.resolve("xmpp-secret")),
                Map.of("herald.test", "xmpp.herald.test", "other.test", "chat.other.test"),
                500,
                30_000,
                5,
                250)),
        config.xmpp());
    assertEquals(
        java.util.List.of("herald.test", "other.test"),
        java.util.List.copyOf(config.xmpp().orElseThrow().domains().keySet()),
        "the first SIP domain is the home domain, so the order is kept");
  }

  @Test
  void absentMeansNoGateway() throws Exception {
    HeraldConfig config = ConfigLoader.load(ConfigValidationTest.fixture("valid/minimal.yaml"));

    assertEquals(Optional.empty(), config.xmpp());
  }

  @Test
  void loopbackPort5347AndBackoffOfOneSecondToOneMinuteByDefault() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            """
            listeners:
              - {transport: udp, address: 127.0.0.1, port: 5060}
            domains: [herald.test]
            xmpp:
              component-domain: sip.herald.test
              secret-env: HERALD_XMPP_SECRET
              domains: {herald.test: xmpp.herald.test}
            """,
            "test");

    assertEquals(
        new XmppSettings(
            "127.0.0.1",
            5347,
            "sip.herald.test",
            PasswordSource.env("HERALD_XMPP_SECRET"),
            Map.of("herald.test", "xmpp.herald.test"),
            1_000,
            60_000,
            30,
            200),
        config.xmpp().orElseThrow());
  }

  @Test
  void recordRefusesWhatTheSchemaRefuses() {
    PasswordSource env = PasswordSource.env("S");
    Map<String, String> one = Map.of("herald.test", "xmpp.herald.test");
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 5347, "c.test", env, Map.of(), 1, 2));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new XmppSettings(
                "127.0.0.1",
                5347,
                "c.test",
                env,
                Map.of("a.test", "x.test", "b.test", "x.test"),
                1,
                2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 5347, "xmpp.herald.test", env, one, 1, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 5347, "c.test", env, one, 5, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 0, "c.test", env, one, 1, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 5347, "c.test", env, one, 1, 2, -1, 200));
    assertThrows(
        IllegalArgumentException.class,
        () -> new XmppSettings("127.0.0.1", 5347, "c.test", env, one, 1, 2, 30, -1));
  }
}
