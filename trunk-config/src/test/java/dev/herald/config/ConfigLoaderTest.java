package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String MINIMAL =
      """
            listeners:
              - transport: udp
                address: 127.0.0.1
                port: 5060
            domains:
              - herald.test
            """;

  @Test
  void minimalFileGetsEveryDefault() throws Exception {
    HeraldConfig config = ConfigLoader.load(ConfigValidationTest.fixture("valid/minimal.yaml"));

    assertEquals(
        new HeraldConfig(
            List.of(new Listener(Transport.UDP, "127.0.0.1", 5060)),
            List.of("herald.test"),
            new SipSettings(4, 65_536, false),
            new PresencePolicy(
                new ExpiresPolicy(60, 3_600, 86_400),
                new ExpiresPolicy(60, 3_600, 86_400),
                100_000,
                1_000,
                32,
                65_536,
                NotifyTimeoutAction.TERMINATE,
                0,
                AuthorizationPolicy.ALLOW_ALL),
            new SecurityPolicy("herald.test", List.of(), 300, List.of("SHA-256", "MD5")),
            DirectoryConfig.none(),
            new RegistrarPolicy(60, 3_600, 7_200, 10, false),
            Optional.empty(),
            List.of(),
            Optional.empty()),
        config);
  }

  @Test
  void listenersThatShareNoSocketAreAccepted() throws Exception {
    HeraldConfig config =
        ConfigLoader.load(ConfigValidationTest.fixture("valid/listeners-that-do-not-clash.yaml"));

    assertEquals(
        List.of(
            new Listener(Transport.UDP, "127.0.0.1", 5060),
            new Listener(Transport.TCP, "127.0.0.1", 5060),
            new Listener(Transport.UDP, "127.0.0.1", 5080),
            new Listener(Transport.UDP, "0.0.0.0", 5070),
            new Listener(Transport.UDP, "::1", 5070),
            new Listener(Transport.TCP, "::", 5090),
            new Listener(Transport.TCP, "2001:db8::10", 5061)),
        config.listeners());
    assertEquals(List.of("herald.test", "presence.example.com", "localhost"), config.domains());
    assertEquals(new SipSettings(4, 65_536, false), config.sip());
    assertEquals(new ExpiresPolicy(1, 1, 1), config.presence().publish());
    assertEquals(
        new ExpiresPolicy(31_536_000, 31_536_000, 31_536_000), config.presence().subscribe());
    assertEquals(NotifyTimeoutAction.KEEP, config.presence().notifyTimeout());
    assertEquals(1_024, config.presence().executorLanes());
  }

  /** Domains are lower-cased, so a watcher's domain finds its policy however it is spelt. */
  @Test
  void authorizationPoliciesByWatcherDomain() throws Exception {
    AuthorizationPolicy authorization =
        ConfigLoader.load(ConfigValidationTest.fixture("valid/authorization.yaml"))
            .presence()
            .authorization();

    assertEquals(
        new AuthorizationPolicy(
            WatcherPolicy.BLOCK,
            Map.of("herald.test", WatcherPolicy.ALLOW, "partner.example", WatcherPolicy.CONFIRM)),
        authorization);
    assertEquals(WatcherPolicy.CONFIRM, authorization.forDomain("PARTNER.example"));
    assertEquals(WatcherPolicy.ALLOW, authorization.forDomain("herald.test"));
    assertEquals(WatcherPolicy.BLOCK, authorization.forDomain("elsewhere.example"));
  }

  @Test
  void noAuthorizationSectionAllowsEveryWatcher() throws Exception {
    AuthorizationPolicy authorization =
        ConfigLoader.parse(MINIMAL, "test").presence().authorization();

    assertEquals(AuthorizationPolicy.ALLOW_ALL, authorization);
    assertEquals(WatcherPolicy.ALLOW, authorization.forDomain("anywhere.example"));
  }

  @Test
  void recordListsAreImmutable() throws Exception {
    HeraldConfig config = ConfigLoader.parse(MINIMAL, "test");

    assertThrows(
        UnsupportedOperationException.class,
        () -> config.listeners().add(new Listener(Transport.TCP, "127.0.0.1", 5061)));
    assertThrows(UnsupportedOperationException.class, () -> config.domains().add("other.test"));
  }

  @Test
  void recordsCopyTheListsTheyAreGiven() {
    List<Listener> listeners =
        new ArrayList<>(List.of(new Listener(Transport.UDP, "127.0.0.1", 5060)));
    List<String> domains = new ArrayList<>(List.of("herald.test"));
    HeraldConfig config =
        new HeraldConfig(
            listeners,
            domains,
            new SipSettings(4, 65_536, false),
            new PresencePolicy(
                new ExpiresPolicy(60, 3_600, 86_400),
                new ExpiresPolicy(60, 3_600, 86_400),
                100_000,
                1_000,
                32,
                65_536,
                NotifyTimeoutAction.TERMINATE,
                0,
                AuthorizationPolicy.ALLOW_ALL),
            new SecurityPolicy("herald.test", List.of(), 300, List.of("MD5")),
            DirectoryConfig.none(),
            new RegistrarPolicy(60, 3_600, 7_200, 10, false),
            Optional.empty(),
            List.of(),
            Optional.empty());

    listeners.clear();
    domains.add("other.test");

    assertEquals(1, config.listeners().size());
    assertEquals(List.of("herald.test"), config.domains());
  }

  @Test
  void missingFileIsOneProblemNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere.yaml");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));

    assertEquals(
        List.of(new ConfigProblem("", "cannot read " + missing + ": no such file")), e.problems());
  }

  @Test
  void fileThatIsNotUtf8IsOneProblemNamingTheFile(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "domains: [h\u00e9rald.test]\n".getBytes(StandardCharsets.ISO_8859_1));

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1));

    assertEquals(
        List.of(new ConfigProblem("", "cannot read " + latin1 + ": not UTF-8 text")), e.problems());
  }

  @Test
  void messageListsEveryProblemOnItsOwnLinePrefixedBySource() {
    String yaml = MINIMAL + "sip:\n  thread-pool-size: 0\n  trace: 1\n";

    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "herald.yaml"));

    assertEquals(
        """
                herald.yaml: sip.thread-pool-size: must be 1..256, was 0
                herald.yaml: sip.trace: must be true or false, was 1""",
        e.getMessage());
  }

  @Test
  void documentProblemsPrintWithoutAnEmptyPath() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.parse("", "herald.yaml"));

    assertEquals(
        "herald.yaml: the file is empty; it needs at least listeners and domains", e.getMessage());
  }

  @Test
  void problemPrintsAsPathColonMessage() {
    assertEquals(
        "listeners[1].port: must be 1..65535, was 70000",
        new ConfigProblem("listeners[1].port", "must be 1..65535, was 70000").toString());
  }

  @Test
  void emptySectionTakesItsDefaultsButEmptyScalarIsAProblem() throws Exception {
    HeraldConfig config = ConfigLoader.parse(MINIMAL + "presence:\n  publish:\n", "test");
    assertEquals(new ExpiresPolicy(60, 3_600, 86_400), config.presence().publish());

    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.parse(MINIMAL + "sip:\n  trace:\n", "test"));
    assertEquals(
        List.of(new ConfigProblem("sip.trace", "must be true or false, was empty")), e.problems());
  }

  @Test
  void longStringsAreCutInMessages() {
    String yaml = MINIMAL.replace("herald.test", "x_".repeat(100));

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test"));

    String message = e.problems().get(0).message();
    assertTrue(message.endsWith("x_".repeat(30) + "...\""), message);
  }

  @Test
  void watcherLimitAndIdleTimeoutAreReadAndZeroTurnsTheIdleTimeoutOff() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            MINIMAL
                + "sip:\n  tcp: {idle-timeout-seconds: 0}\n"
                + "presence:\n  max-subscriptions-per-watcher: 7\n",
            "test");

    assertEquals(7, config.presence().maxSubscriptionsPerWatcher());
    assertEquals(new TcpPolicy(2_000, 10_000, 0), config.sip().tcp());
    assertEquals(
        300, ConfigLoader.parse(MINIMAL, "test").sip().tcp().idleTimeoutSeconds(), "the default");
  }
}
