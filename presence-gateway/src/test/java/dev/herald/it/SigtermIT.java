package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged Herald as a user runs it ({@code java -jar herald.jar --config FILE}): SIGTERM gives
 * every subscription its final NOTIFY, {@code terminated;reason=deactivated} (RFC 6665 §4.1.3), and
 * the process exits.
 */
class SigtermIT {
  @TempDir Path dir;

  @Test
  void sigtermEndsSubscriptionsWithDeactivatedAndExits() throws Exception {
    int port = LoopbackPorts.freeUdpAndTcpPort();
    Path config = dir.resolve("herald.yaml");
    Files.writeString(
        config,
            """
        listeners:
          - {transport: udp, address: 127.0.0.1, port: %1$d}
          - {transport: tcp, address: 127.0.0.1, port: %1$d}
        domains: [herald.test]
        security:
          trusted-peers: [127.0.0.1]
        directory:
          users-file: %2$s
        """
            .formatted(port, Path.of("..", "config", "users.yaml").toAbsolutePath()));
    Path jar = Path.of("target", "herald.jar");
    assertTrue(Files.exists(jar), "the shaded jar is built in the package phase: " + jar);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process herald =
        new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("herald.log").toFile())
            .start();
    try {
      awaitAnswering(port, herald);
      try (RunningSipp watcher =
          Sipp.scenario("watcher-shutdown")
              .remote("127.0.0.1", port)
              .transport(SippTransport.UDP)
              .service("alice")
              .key("domain", "herald.test")
              .timeout(Duration.ofSeconds(20))
              .start()) {
        watcher.awaitMilestone("subscribed", Duration.ofSeconds(15));
        herald.destroy(); // SIGTERM
        watcher.awaitExit(Duration.ofSeconds(15)).assertPassed();
      }
      assertTrue(herald.waitFor(15, TimeUnit.SECONDS), "Herald exits after SIGTERM");
    } finally {
      herald.destroyForcibly();
    }
  }

  /** Herald answers OPTIONS once it is up; the JVM takes a moment to start. */
  private void awaitAnswering(int port, Process herald) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!herald.isAlive()) {
        fail(
            "Herald exited with "
                + herald.exitValue()
                + ":\n"
                + Files.readString(dir.resolve("herald.log")));
      }
      if (Sipp.scenario("options")
          .remote("127.0.0.1", port)
          .transport(SippTransport.UDP)
          .timeout(Duration.ofSeconds(1))
          .run()
          .passed()) {
        return;
      }
    }
    fail(
        "Herald did not answer OPTIONS within 30 s:\n"
            + Files.readString(dir.resolve("herald.log")));
  }
}
