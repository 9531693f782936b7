package dev.herald.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.config.HeraldConfig;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.presence.PresenceStats;
import dev.herald.sip.auth.DigestAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Herald in-process on a free loopback port (UDP and TCP), with a config for tests: publish minimum
 * 60 s (so 423 can be provoked), subscribe minimum 1 s (so expiry is quick).
 */
final class RunningHerald implements AutoCloseable {
  static final String DOMAIN = "herald.test";

  private final int port;
  private final Herald herald;

  private RunningHerald(int port, Herald herald) {
    this.port = port;
    this.herald = herald;
  }

  /** Users of the integration tests: password {@code <id>-pw}; zed is not enabled. */
  static final List<String> USERS =
      List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "zed");

  /** Herald trusting 127.0.0.1, so scenarios need no credentials. */
  static RunningHerald start() throws Exception {
    return start("");
  }

  /**
   * Herald trusting 127.0.0.1, with {@code extraYaml} over the test config: each top-level section
   * of it (such as {@code registrar: {...}}) replaces the test config's section of that name, or is
   * added. {@link #presence(String)} gives a presence section that keeps the test limits.
   */
  static RunningHerald start(String extraYaml) throws Exception {
    return start(extraYaml, Map.of());
  }

  /**
   * As {@link #start(String)}, with more keys for some users of the users file: {@code usersYaml}
   * maps a user id of {@link #USERS} to YAML lines added to that user's entry, such as {@code
   * presence-block: [sip:watcher@herald.test]}.
   */
  static RunningHerald start(String extraYaml, Map<String, String> usersYaml) throws Exception {
    for (String id : usersYaml.keySet()) {
      if (!USERS.contains(id)) {
        throw new IllegalArgumentException("no test user " + id + "; they are " + USERS);
      }
    }
    return launch("[127.0.0.1]", "[MD5]", extraYaml, usersYaml);
  }

  /** The test config's presence limits, under {@code presence:}. */
  private static final String PRESENCE_LIMITS =
      """
        publish: {min-expires: 60, default-expires: 3600, max-expires: 7200}
        subscribe: {min-expires: 1, default-expires: 600, max-expires: 3600}
      """;

  /**
   * A {@code presence} section for {@link #start(String)}: the test limits and {@code moreYaml},
   * keys written as if at the top level (they are indented under {@code presence:} here), such as
   * {@code authorization: {default: confirm}}.
   */
  static String presence(String moreYaml) {
    return "presence:\n" + PRESENCE_LIMITS + moreYaml.stripIndent().indent(2);
  }

  /**
   * Herald trusting nobody: every REGISTER, PUBLISH and SUBSCRIBE is challenged (MD5 only: Debian's
   * SIPp has no SHA-256).
   */
  static RunningHerald startUntrusted() throws Exception {
    return startUntrusted("[MD5]");
  }

  /**
   * Herald trusting nobody, offering {@code algorithmsYaml} (a YAML list such as {@code [SHA-256,
   * MD5]}) in that order.
   */
  static RunningHerald startUntrusted(String algorithmsYaml) throws Exception {
    return launch("[]", algorithmsYaml, "", Map.of());
  }

  /** Herald trusting nobody in security.trusted-peers, with {@code extraYaml} as in start. */
  static RunningHerald startUntrustedWith(String extraYaml) throws Exception {
    return launch("[]", "[MD5]", extraYaml, Map.of());
  }

  private static RunningHerald launch(
      String trustedPeers, String algorithms, String extraYaml, Map<String, String> usersYaml)
      throws Exception {
    int port = LoopbackPorts.freeUdpAndTcpPort();
    Path dir = Files.createTempDirectory("herald-it-");
    StringBuilder users = new StringBuilder("realm: " + DOMAIN + "\nusers:\n");
    for (String id : USERS) {
      users
          .append("  - id: ")
          .append(id)
          .append('\n')
          .append("    addresses: [sip:")
          .append(id)
          .append('@')
          .append(DOMAIN)
          .append("]\n")
          .append("    enabled: ")
          .append(!id.equals("zed"))
          .append('\n')
          .append("    ha1-md5: ")
          .append(DigestAlgorithm.MD5.ha1(id, DOMAIN, id + "-pw"))
          .append('\n')
          .append("    ha1-sha256: ")
          .append(DigestAlgorithm.SHA_256.ha1(id, DOMAIN, id + "-pw"))
          .append('\n')
          .append(usersYaml.getOrDefault(id, "").stripIndent().indent(4));
    }
    Files.writeString(dir.resolve("users.yaml"), users);
    String base =
            """
        listeners:
          - {transport: udp, address: 127.0.0.1, port: %1$d}
          - {transport: tcp, address: 127.0.0.1, port: %1$d}
        domains: [%2$s]
        sip:
          thread-pool-size: 4
        %5$ssecurity:
          trusted-peers: %3$s
          algorithms: %4$s
        directory:
          users-file: users.yaml
        registrar: {min-expires: 60, default-expires: 3600, max-expires: 7200}
        """
            .formatted(port, DOMAIN, trustedPeers, algorithms, presence(""));
    HeraldConfig config =
        ConfigLoader.parse(overlay(base, extraYaml), "integration-test config", dir);
    return new RunningHerald(port, Herald.start(config));
  }

  /** {@code base} with each top-level section of {@code extra} replacing or added to its own. */
  private static String overlay(String base, String extra) {
    Map<String, String> sections = sections(base);
    sections.putAll(sections(extra));
    return String.join("", sections.values());
  }

  /** Top-level sections by key, in order: a section runs from its unindented line to the next. */
  private static Map<String, String> sections(String yaml) {
    Map<String, String> out = new LinkedHashMap<>();
    String key = null;
    StringBuilder text = new StringBuilder();
    for (String line : yaml.split("\n")) {
      boolean top = !line.isBlank() && !Character.isWhitespace(line.charAt(0));
      if (top && !line.startsWith("#")) {
        if (key != null) {
          out.put(key, text.toString());
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("not a top-level YAML key: " + line);
        }
        key = line.substring(0, colon).trim();
        text.setLength(0);
      }
      text.append(line).append('\n');
    }
    if (key != null) {
      out.put(key, text.toString());
    }
    return out;
  }

  int port() {
    return port;
  }

  Herald herald() {
    return herald;
  }

  PresenceStats stats() {
    return herald.presence().stats();
  }

  /** A SIPp run of a test-fixtures scenario aimed at this Herald. */
  Sipp sipp(String scenario, SippTransport transport) {
    return Sipp.scenario(scenario)
        .remote("127.0.0.1", port)
        .transport(transport)
        .key("domain", DOMAIN)
        .timeout(Duration.ofSeconds(20));
  }

  /** Polls Herald's counters until the condition holds (state settles on other threads). */
  void await(String what, Predicate<PresenceStats> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.test(stats())) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out waiting for " + what + "; stats: " + stats());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  @Override
  public void close() {
    herald.shutdown(Duration.ofSeconds(2));
  }
}
