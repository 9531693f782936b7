package dev.herald.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.config.HeraldConfig;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.presence.PresenceStats;
import java.time.Duration;
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

  static RunningHerald start() throws Exception {
    int port = LoopbackPorts.freeUdpAndTcpPort();
    HeraldConfig config =
        ConfigLoader.parse(
                """
        listeners:
          - {transport: udp, address: 127.0.0.1, port: %1$d}
          - {transport: tcp, address: 127.0.0.1, port: %1$d}
        domains: [%2$s]
        sip:
          thread-pool-size: 4
        presence:
          publish: {min-expires: 60, default-expires: 3600, max-expires: 7200}
          subscribe: {min-expires: 1, default-expires: 600, max-expires: 3600}
        """
                .formatted(port, DOMAIN),
            "integration-test config");
    return new RunningHerald(port, Herald.start(config));
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
