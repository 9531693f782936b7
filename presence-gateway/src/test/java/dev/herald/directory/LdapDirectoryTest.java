package dev.herald.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.herald.config.DirectoryConfig;
import dev.herald.config.LdapConfig;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LDAP directory against UnboundID's in-memory server on a loopback port, loaded from {@code
 * src/test/resources/directory/users.ldif}. Timeouts are short (500 ms) so that the tests of a dead
 * or hung server finish quickly; each such test fails if the call takes longer than its bound.
 */
class LdapDirectoryTest {

  private static final int TIMEOUT_MILLIS = 500;

  /** A generous bound on a call that must give up after a timeout or two, never hang. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final String SERVICE_DN = "cn=herald,dc=example,dc=org";
  private static final String PEOPLE = "ou=people,dc=example,dc=org";

  @TempDir Path dir;

  private InMemoryDirectoryServer server;
  private Directory directory;

  @BeforeEach
  void start() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=org");
    config.setSchema(null);
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "loopback", InetAddress.getLoopbackAddress(), 0, null));
    server = new InMemoryDirectoryServer(config);
    server.importFromLDIF(true, ldif());
    server.startListening();
    // With the line break an editor leaves, which is not part of the password.
    Files.writeString(dir.resolve("ldap-password"), "service-secret\n");
    directory = Directory.open(DirectoryConfig.ldap(config(server.getListenPort())));
  }

  @AfterEach
  void stop() {
    directory.close();
    server.shutDown(true);
  }

  @Test
  void byIdFindsAnEnabledUser() {
    assertEquals(
        Optional.of(new User("alice", List.of("sip:alice@herald.test"), "Alice Example", true)),
        directory.byId("alice"));
  }

  @Test
  void byIdFindsDisabledUsers() {
    assertEquals(
        Optional.of(new User("dave", List.of("sip:dave@herald.test"), "Dave Example", false)),
        directory.byId("dave"));
    // No enabled attribute disables, and without a cn the id is the display name.
    assertEquals(
        Optional.of(new User("erin", List.of("sip:erin@herald.test"), "erin", false)),
        directory.byId("erin"));
    // "yes" is not an LDAP boolean.
    assertEquals(false, directory.byId("frank").orElseThrow().enabled());
  }

  /** LDAP entries carry no presence lists, and the answer needs no server: the lanes ask it. */
  @Test
  void presenceListsAreNoneWithoutAskingTheServer() {
    server.shutDown(true);

    assertEquals(PresenceLists.NONE, directory.presenceLists("sip:alice@herald.test"));
  }

  @Test
  void byIdFindsNobodyOutsideTheBaseDnOrUnknown() {
    assertEquals(Optional.empty(), directory.byId("outsider"));
    assertEquals(Optional.empty(), directory.byId("mallory"));
    assertEquals(Optional.empty(), directory.byId(""));
  }

  @Test
  void byAddressFindsAUserByAnyOfTheirAddresses() {
    User carol =
        new User(
            "carol",
            List.of("sip:carol@herald.test", "sip:carol.example@herald.test"),
            "Carol Example",
            true);

    assertEquals(Optional.of(carol), directory.byAddress("sip:carol@herald.test"));
    assertEquals(Optional.of(carol), directory.byAddress("sip:carol.example@herald.test"));
    assertEquals(Optional.of(carol), directory.byAddress("SIP:carol@HERALD.test"));
    assertEquals(false, directory.byAddress("sip:dave@herald.test").orElseThrow().enabled());
  }

  @Test
  void byAddressFindsNobodyForUnknownAmbiguousOrMalformedAddresses() {
    assertEquals(Optional.empty(), directory.byAddress("sip:mallory@herald.test"));
    assertEquals(Optional.empty(), directory.byAddress("sip:shared@herald.test"));
    assertEquals(Optional.empty(), directory.byAddress("sip:outsider@herald.test"));
    assertEquals(Optional.empty(), directory.byAddress("alice@herald.test"));
    assertEquals(Optional.empty(), directory.byAddress("sip:*@herald.test"));
  }

  /** Unescaped, each of these ids would change the filter: "al*" alone would find alice. */
  @Test
  void idsCannotInjectIntoTheFilter() {
    assertEquals(Optional.empty(), directory.byId("*)(uid=*"));
    assertEquals(Optional.empty(), directory.byId("al*"));
    assertEquals(Optional.empty(), directory.byId("*"));
    assertEquals(Optional.empty(), directory.byId("alice)(|(uid=*"));
    assertEquals(Optional.empty(), directory.byId("alice\u0000"));
    assertFalse(directory.verifyPassword("al*", "alice-ldap"));
    assertFalse(directory.verifyPassword("*)(uid=*", "alice-ldap"));
  }

  @Test
  void userFilterDecidesWhoIsAUser() throws Exception {
    LdapConfig people =
        withFilter(config(server.getListenPort()), "(&(objectClass=inetOrgPerson)(uid={0}))");
    try (Directory persons = Directory.open(DirectoryConfig.ldap(people))) {
      assertEquals("alice", persons.byId("alice").orElseThrow().id());
      // erin is an account, not an inetOrgPerson
      assertEquals(Optional.empty(), persons.byId("erin"));
      assertEquals(Optional.empty(), persons.byAddress("sip:erin@herald.test"));
    }
  }

  @Test
  void verifyPasswordBindsAsTheUser() {
    assertTrue(directory.verifyPassword("alice", "alice-ldap"));
    assertTrue(directory.verifyPassword("carol", "carol-ldap"));
    assertFalse(directory.verifyPassword("alice", "carol-ldap"));
    assertFalse(directory.verifyPassword("alice", "alice-ldap "));
    assertFalse(directory.verifyPassword("mallory", "alice-ldap"));
  }

  /** A simple bind with a DN and no password is anonymous, and succeeds (RFC 4513 §5.1.2). */
  @Test
  void verifyPasswordNeverAcceptsAnEmptyPassword() {
    assertFalse(directory.verifyPassword("alice", ""));
    assertFalse(directory.verifyPassword("alice", null));
  }

  @Test
  void disabledUsersHaveNoCredentials() {
    assertFalse(directory.verifyPassword("dave", "dave-ldap"));
    assertFalse(directory.verifyPassword("erin", "erin-ldap"));
  }

  @Test
  void ldapHoldsNoDigestHashes() {
    assertEquals(Optional.empty(), directory.ha1("alice", "herald.test", "MD5"));
    assertEquals(Optional.empty(), directory.ha1("alice", "herald.test", "SHA-256"));
  }

  @Test
  void stoppedServerMakesLookupsFailWithinTheBound() {
    server.shutDown(true);

    assertTimeoutPreemptively(
        BOUND,
        () -> {
          assertThrows(DirectoryUnavailableException.class, () -> directory.byId("alice"));
          assertThrows(
              DirectoryUnavailableException.class,
              () -> directory.byAddress("sip:alice@herald.test"));
          assertThrows(
              DirectoryUnavailableException.class,
              () -> directory.verifyPassword("alice", "alice-ldap"));
        });
  }

  @Test
  void hungServerMakesLookupsFailWithinTheBound() throws Exception {
    try (FreezableTcpProxy proxy = FreezableTcpProxy.start(server.getListenPort());
        Directory proxied = Directory.open(DirectoryConfig.ldap(config(proxy.port())))) {
      assertEquals("alice", proxied.byId("alice").orElseThrow().id());

      proxy.freeze();

      assertTimeoutPreemptively(
          BOUND,
          () -> {
            assertThrows(DirectoryUnavailableException.class, () -> proxied.byId("alice"));
            assertThrows(
                DirectoryUnavailableException.class,
                () -> proxied.verifyPassword("alice", "alice-ldap"));
          });
    }
  }

  @Test
  void hungServerMakesOpenFailWithinTheBound() throws Exception {
    try (FreezableTcpProxy proxy = FreezableTcpProxy.start(server.getListenPort())) {
      proxy.freeze();

      DirectoryException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      DirectoryException.class,
                      () -> Directory.open(DirectoryConfig.ldap(config(proxy.port())))));
      assertTrue(e.getMessage().startsWith("cannot connect to ldap://127.0.0.1:"), e.getMessage());
    }
  }

  @Test
  void stoppedServerMakesOpenFail() throws Exception {
    int port = server.getListenPort();
    server.shutDown(true);

    assertTimeoutPreemptively(
        BOUND,
        () ->
            assertThrows(
                DirectoryException.class,
                () -> Directory.open(DirectoryConfig.ldap(config(port)))));
  }

  @Test
  void wrongServicePasswordMakesOpenFail() throws Exception {
    Files.writeString(dir.resolve("ldap-password"), "not-the-secret\n");

    DirectoryException e =
        assertThrows(
            DirectoryException.class,
            () -> Directory.open(DirectoryConfig.ldap(config(server.getListenPort()))));
    assertTrue(
        e.getMessage().contains("and bind as cn=herald,dc=example,dc=org: "), e.getMessage());
  }

  @Test
  void missingBaseDnMakesOpenFail() {
    LdapConfig config = config(server.getListenPort());
    LdapConfig elsewhere =
        new LdapConfig(
            config.url(),
            config.bindDn(),
            config.bindPasswordFile(),
            null,
            "ou=nobody,dc=example,dc=org",
            config.userFilter(),
            config.sipAddressAttribute(),
            config.enabledAttribute(),
            config.displayNameAttribute(),
            config.timeoutMillis(),
            config.cacheSeconds());

    DirectoryException e =
        assertThrows(
            DirectoryException.class, () -> Directory.open(DirectoryConfig.ldap(elsewhere)));
    assertTrue(
        e.getMessage().contains("ou=nobody,dc=example,dc=org does not exist"), e.getMessage());
  }

  @Test
  void emptyServicePasswordIsRefusedBeforeAnyBind() throws Exception {
    Files.writeString(dir.resolve("ldap-password"), "\n");

    DirectoryException e =
        assertThrows(
            DirectoryException.class,
            () -> Directory.open(DirectoryConfig.ldap(config(server.getListenPort()))));
    assertTrue(
        e.getMessage().endsWith("the password is empty, which would make the bind anonymous"),
        e.getMessage());
  }

  @Test
  void servicePasswordFileMayEndWithAWindowsLineBreak() throws Exception {
    Files.writeString(dir.resolve("ldap-password"), "service-secret\r\n");

    try (Directory crlf = Directory.open(DirectoryConfig.ldap(config(server.getListenPort())))) {
      assertTrue(crlf.byId("alice").isPresent());
    }
  }

  @Test
  void missingPasswordFileMakesOpenFail() throws Exception {
    Files.delete(dir.resolve("ldap-password"));

    DirectoryException e =
        assertThrows(
            DirectoryException.class,
            () -> Directory.open(DirectoryConfig.ldap(config(server.getListenPort()))));
    assertEquals(
        "cannot read directory.ldap.bind-password-file "
            + dir.resolve("ldap-password")
            + ": no such file",
        e.getMessage());
  }

  @Test
  void unsetPasswordVariableMakesOpenFail() {
    LdapConfig config = config(server.getListenPort());
    LdapConfig fromEnv =
        new LdapConfig(
            config.url(),
            config.bindDn(),
            null,
            "HERALD_TEST_VARIABLE_THAT_IS_NEVER_SET",
            config.baseDn(),
            config.userFilter(),
            config.sipAddressAttribute(),
            config.enabledAttribute(),
            config.displayNameAttribute(),
            config.timeoutMillis(),
            config.cacheSeconds());

    DirectoryException e =
        assertThrows(DirectoryException.class, () -> Directory.open(DirectoryConfig.ldap(fromEnv)));
    assertEquals(
        "directory.ldap.bind-password-env HERALD_TEST_VARIABLE_THAT_IS_NEVER_SET:"
            + " the variable is not set",
        e.getMessage());
  }

  @Test
  void closedDirectoryRefusesLookups() {
    directory.close();
    directory.close();

    assertThrows(IllegalStateException.class, () -> directory.byId("alice"));
    assertThrows(IllegalStateException.class, () -> directory.byAddress("sip:alice@herald.test"));
    assertThrows(IllegalStateException.class, () -> directory.verifyPassword("alice", "x"));
    assertThrows(IllegalStateException.class, () -> directory.ha1("alice", "herald.test", "MD5"));
  }

  /** The directory on {@code port}; the service account's password is in {@code dir}. */
  private LdapConfig config(int port) {
    return new LdapConfig(
        "ldap://127.0.0.1:" + port,
        SERVICE_DN,
        dir.resolve("ldap-password"),
        null,
        PEOPLE,
        "(uid={0})",
        "sipAddress",
        "heraldEnabled",
        "cn",
        TIMEOUT_MILLIS,
        0);
  }

  private static LdapConfig withFilter(LdapConfig config, String filter) {
    return new LdapConfig(
        config.url(),
        config.bindDn(),
        config.bindPasswordFile(),
        config.bindPasswordEnv(),
        config.baseDn(),
        filter,
        config.sipAddressAttribute(),
        config.enabledAttribute(),
        config.displayNameAttribute(),
        config.timeoutMillis(),
        config.cacheSeconds());
  }

  private static File ldif() throws Exception {
    var url = LdapDirectoryTest.class.getResource("/directory/users.ldif");
    if (url == null) {
      throw new IllegalStateException("no test resource directory/users.ldif");
    }
    return new File(url.toURI());
  }
}
