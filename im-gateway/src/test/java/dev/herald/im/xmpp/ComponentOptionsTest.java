package dev.herald.im.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.herald.config.PasswordSource;
import dev.herald.config.XmppSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component's options from the configuration, and where its secret is read. */
class ComponentOptionsTest {

  @TempDir Path folder;

  @Test
  void theSecretIsTheFirstLineOfItsFile() throws Exception {
    Path file = Files.writeString(folder.resolve("secret"), "s3cret\r\nignored\n");
    XmppSettings settings =
        new XmppSettings(
            "127.0.0.1",
            15347,
            "sip.herald.test",
            PasswordSource.file(file),
            Map.of("herald.test", "xmpp.herald.test"),
            500,
            30_000);

    ComponentOptions options = ComponentOptions.of(settings);

    assertEquals("s3cret", options.secret());
    assertEquals(15347, options.port());
    assertEquals(Duration.ofMillis(500), options.reconnectMin());
    assertEquals(Duration.ofSeconds(30), options.reconnectMax());
    assertFalse(options.toString().contains("s3cret"), "toString must not show the secret");
  }

  @Test
  void aMissingOrEmptySecretStopsStartUp() throws Exception {
    IOException missing =
        assertThrows(
            IOException.class,
            () -> ComponentOptions.secret(PasswordSource.file(folder.resolve("nope"))));
    assertEquals(
        "cannot read the XMPP component secret from " + folder.resolve("nope") + ": no such file",
        missing.getMessage());

    Path empty = Files.writeString(folder.resolve("empty"), "\n");
    assertThrows(IOException.class, () -> ComponentOptions.secret(PasswordSource.file(empty)));

    IOException unset =
        assertThrows(
            IOException.class,
            () -> ComponentOptions.secret(PasswordSource.env("HERALD_TEST_SURELY_UNSET_VARIABLE")));
    assertEquals(
        "the XMPP component secret is to come from environment variable"
            + " HERALD_TEST_SURELY_UNSET_VARIABLE, which is not set",
        unset.getMessage());
  }
}
