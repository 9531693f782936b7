package dev.herald;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: validation only, and refusal to start on a bad config. */
class MainTest {
  @TempDir Path dir;

  private int runCapturingErr(ByteArrayOutputStream err, String... args) {
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Main.run(args);
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void checkConfigAcceptsTheDefaultConfig() {
    assertEquals(Main.OK, Main.run(new String[] {"--check-config", "../config/herald.yaml"}));
  }

  @Test
  void badConfigListsEveryProblemWithItsPathAndExitsTwo() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        listeners:
          - transport: udp
            address: 127.0.0.1
            port: 70000
        domains: [herald.test]
        presence:
          subscribe: {min-expires: 600, max-expires: 60}
          colour: blue
        """);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(Main.BAD_CONFIG, runCapturingErr(err, "--check-config", bad.toString()));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("listeners[0].port"), text);
    assertTrue(text.contains("presence.subscribe"), text);
    assertTrue(text.contains("presence.colour"), text);
  }

  @Test
  void runRefusesABadConfigBeforeStarting() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "listeners: []\ndomains: [herald.test]\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(Main.BAD_CONFIG, runCapturingErr(err, "--config", bad.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("listeners"));
  }

  @Test
  void unknownArgumentIsAUsageError() {
    assertEquals(Main.BAD_CONFIG, runCapturingErr(new ByteArrayOutputStream(), "--bogus"));
  }
}
