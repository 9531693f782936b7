package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shipped config/herald.yaml and config/users.yaml: valid, with the documented values, and
 * herald.yaml packaged unchanged.
 */
class DefaultConfigTest {

  /** Surefire runs in the module directory; the file lives in the reactor's config/. */
  private static final Path SHIPPED = Path.of("..", "config", "herald.yaml");

  /** The shipped users file, next to herald.yaml. */
  private static final Path SHIPPED_USERS = Path.of("..", "config", "users.yaml");

  /** The documented values; the users file is where the configuration's folder puts it. */
  private static HeraldConfig documented(Path usersFile) {
    return new HeraldConfig(
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
            0,
            AuthorizationPolicy.ALLOW_ALL),
        new SecurityPolicy("herald.test", List.of("127.0.0.1"), 300, List.of("SHA-256", "MD5")),
        DirectoryConfig.file(usersFile.toAbsolutePath().normalize()),
        new RegistrarPolicy(60, 3_600, 7_200, 10, false),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /**
   * The classpath copy comes with the demo users file, unpacked to a folder of its own, so the jar
   * runs from any folder (it once looked for users.yaml in the current one).
   */
  @Test
  void embeddedDefaultIsValidWithTheDocumentedValuesAndItsOwnUsersFile() throws Exception {
    HeraldConfig embedded = ConfigLoader.loadDefault();
    Path users = embedded.directory().usersFile();

    assertEquals(documented(users), embedded);
    assertEquals("users.yaml", users.getFileName().toString());
    assertNotEquals(Path.of("").toAbsolutePath(), users.getParent());
    assertEquals(Files.readString(SHIPPED_USERS), Files.readString(users));
  }

  @Test
  void shippedFileIsValidWithTheDocumentedValues() throws Exception {
    assertEquals(documented(SHIPPED_USERS), ConfigLoader.load(SHIPPED));
  }

  /** Alice, Bob and Carol enabled, Dave disabled; each hash is of the password the header names. */
  @Test
  void shippedUsersAreTheDemoUsersWithTheirDemoPasswords() throws Exception {
    UsersFile users = UsersFileLoader.load(SHIPPED_USERS);

    assertEquals("herald.test", users.realm());
    assertEquals(
        List.of("alice", "bob", "carol", "dave"),
        users.users().stream().map(UserEntry::id).toList());
    for (UserEntry user : users.users()) {
      String password = user.id() + "-demo";
      assertEquals(List.of("sip:" + user.id() + "@herald.test"), user.addresses());
      assertEquals(!user.id().equals("dave"), user.enabled(), user.id());
      assertEquals(UsersFile.ha1("MD5", user.id(), "herald.test", password), user.ha1Md5());
      assertEquals(UsersFile.ha1("SHA-256", user.id(), "herald.test", password), user.ha1Sha256());
    }
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

    HeraldConfig shipped = ConfigLoader.load(SHIPPED);
    assertEquals(shipped.sip(), minimal.sip());
    assertEquals(shipped.presence(), minimal.presence());
    assertEquals(shipped.registrar(), minimal.registrar());
    // Two deliberate departures: the shipped file trusts loopback and names its users file.
    assertEquals(
        new SecurityPolicy(
            shipped.security().realm(),
            List.of(),
            shipped.security().nonceLifetimeSeconds(),
            shipped.security().algorithms()),
        minimal.security());
    assertEquals(DirectoryConfig.none(), minimal.directory());
  }
}
