package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped config/herald-secure.yaml: valid, on herald.yaml's sockets, trusting only the example
 * CUCM address, offering SHA-256 before MD5, with the demo users file.
 */
class SecureConfigTest {

  /** Surefire runs in the module directory; the files live in the reactor's config/. */
  private static final Path SECURE = Path.of("..", "config", "herald-secure.yaml");

  private static final Path DEFAULT = Path.of("..", "config", "herald.yaml");

  @Test
  void isValidAndListensWhereTheDefaultDoes() throws Exception {
    HeraldConfig secure = ConfigLoader.load(SECURE);

    assertEquals(ConfigLoader.load(DEFAULT).listeners(), secure.listeners());
    assertEquals(List.of("herald.test"), secure.domains());
  }

  @Test
  void trustsTheTrunkOnlyAndOffersSha256First() throws Exception {
    SecurityPolicy security = ConfigLoader.load(SECURE).security();

    assertEquals("herald.test", security.realm());
    assertEquals(List.of("192.0.2.10"), security.trustedPeers());
    assertTrue(security.trusts(InetAddress.getByName("192.0.2.10")));
    assertFalse(security.trusts(InetAddress.getByName("127.0.0.1")));
    assertFalse(security.trusts(InetAddress.getByName("192.0.2.11")));
    assertEquals(List.of("SHA-256", "MD5"), security.algorithms());
  }

  @Test
  void usesTheDemoUsersFileNextToIt() throws Exception {
    DirectoryConfig directory = ConfigLoader.load(SECURE).directory();

    assertEquals(DirectorySource.FILE, directory.source());
    assertEquals(
        Path.of("..", "config", "users.yaml").toAbsolutePath().normalize(),
        directory.usersFile().toAbsolutePath().normalize());
  }
}
