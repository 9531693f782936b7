package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped config/herald.yaml: valid, with the documented values, and packaged unchanged. */
class DefaultConfigTest {

  /** Surefire runs in the module directory; the file lives in the reactor's config/. */
  private static final Path SHIPPED = Path.of("..", "config", "herald.yaml");

  private static final HeraldConfig DOCUMENTED =
      new HeraldConfig(
          List.of(
              new Listener(Transport.UDP, "127.0.0.1", 5060),
              new Listener(Transport.TCP, "127.0.0.1", 5060)),
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
              0));

  @Test
  void embeddedDefaultIsValidWithTheDocumentedValues() throws Exception {
    assertEquals(DOCUMENTED, ConfigLoader.loadDefault());
  }

  @Test
  void shippedFileIsValidWithTheDocumentedValues() throws Exception {
    assertEquals(DOCUMENTED, ConfigLoader.load(SHIPPED));
  }

  @Test
  void embeddedDefaultIsTheShippedFileUnchanged() throws Exception {
    byte[] embedded;
    try (InputStream in =
        ConfigLoader.class.getResourceAsStream("/dev/herald/config/herald.yaml")) {
      assertNotNull(in, "dev/herald/config/herald.yaml is not on the classpath");
      embedded = in.readAllBytes();
    }
    assertArrayEquals(Files.readAllBytes(SHIPPED), embedded);
  }

  /** With every key at its default, the shipped file and a file of only required keys agree. */
  @Test
  void shippedValuesAreTheDefaults() throws Exception {
    HeraldConfig minimal = ConfigLoader.load(ConfigValidationTest.fixture("valid/minimal.yaml"));

    assertEquals(DOCUMENTED.sip(), minimal.sip());
    assertEquals(DOCUMENTED.presence(), minimal.presence());
  }
}
