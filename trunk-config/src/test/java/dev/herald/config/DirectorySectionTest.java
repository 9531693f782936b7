package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory section: where relative paths resolve, when the users file is read, and what an
 * LDAP section becomes.
 */
class DirectorySectionTest {

  private static final String MINIMAL =
      """
      listeners:
        - {transport: udp, address: 127.0.0.1, port: 5060}
      domains: [herald.test]
      """;

  @TempDir Path dir;

  @Test
  void usersFileResolvesAgainstTheConfigFilesFolder() throws Exception {
    Path users = Files.copy(UsersFileLoaderTest.fixture("valid.yaml"), dir.resolve("users.yaml"));
    Path config =
        Files.writeString(
            dir.resolve("herald.yaml"), MINIMAL + "directory:\n  users-file: users.yaml\n");

    assertEquals(
        DirectoryConfig.file(users.toAbsolutePath()), ConfigLoader.load(config).directory());
  }

  @Test
  void absoluteUsersFileIsKept() throws Exception {
    Path users = UsersFileLoaderTest.fixture("valid.yaml");
    Path config =
        Files.writeString(
            dir.resolve("herald.yaml"), MINIMAL + "directory:\n  users-file: " + users + "\n");

    assertEquals(DirectoryConfig.file(users), ConfigLoader.load(config).directory());
  }

  /** Text from no folder: the current directory, and the file is left for the directory to read. */
  @Test
  void parseWithoutFolderResolvesAgainstTheCurrentDirectoryAndReadsNothing() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(MINIMAL + "directory:\n  users-file: nowhere/users.yaml\n", "test");

    assertEquals(
        DirectoryConfig.file(Path.of("nowhere", "users.yaml").toAbsolutePath()),
        config.directory());
  }

  @Test
  void parseWithFolderReadsTheUsersFileThere() throws Exception {
    String yaml = MINIMAL + "directory:\n  users-file: users.yaml\n";

    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test", dir));
    assertEquals(
        List.of(
            new ConfigProblem(
                "directory.users-file",
                "cannot read " + dir.toAbsolutePath().resolve("users.yaml") + ": no such file")),
        e.problems());

    Files.copy(UsersFileLoaderTest.fixture("valid.yaml"), dir.resolve("users.yaml"));
    assertEquals(
        DirectoryConfig.file(dir.toAbsolutePath().resolve("users.yaml")),
        ConfigLoader.parse(yaml, "test", dir).directory());
  }

  /** A bad config stops start-up listing every problem, the users file's among them. */
  @Test
  void missingUsersFileIsListedWithTheOtherProblems() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("herald.yaml"),
            MINIMAL.replace("5060", "70000")
                + "directory:\n  users-file: users.yaml\nregistrar:\n  min-expires: 0\n");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config));

    assertEquals(
        List.of(
            "listeners[0].port: must be 1..65535, was 70000",
            "registrar.min-expires: must be 1..31536000, was 0",
            "directory.users-file: cannot read "
                + dir.toAbsolutePath().resolve("users.yaml")
                + ": no such file"),
        e.problems().stream().map(ConfigProblem::toString).toList());
  }

  @Test
  void everyProblemOfTheUsersFileIsListedAtUsersFile() throws Exception {
    Path users = dir.resolve("users.yaml");
    Files.writeString(
        users, "users:\n  - id: alice smith\n    addresses: [sip:alice@herald.test]\n");
    Path config =
        Files.writeString(
            dir.resolve("herald.yaml"), MINIMAL + "directory:\n  users-file: users.yaml\n");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config));

    String file = users.toAbsolutePath().toString();
    assertEquals(
        List.of(
            "directory.users-file: "
                + file
                + ": users[0].id: must be 1..64 letters, digits, '.',"
                + " '_', '-' or '+', starting with a letter or digit, was \"alice smith\"",
            "directory.users-file: " + file + ": users[0]: needs ha1-md5 or ha1-sha256, or both",
            "directory.users-file: " + file + ": realm: required"),
        e.problems().stream().map(ConfigProblem::toString).toList());
  }

  @Test
  void givenRealmMustMatchTheUsersFile() throws Exception {
    Files.copy(UsersFileLoaderTest.fixture("valid.yaml"), dir.resolve("users.yaml"));
    Path config =
        Files.writeString(
            dir.resolve("herald.yaml"),
            MINIMAL + "security:\n  realm: other\ndirectory:\n  users-file: users.yaml\n");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config));

    assertEquals(1, e.problems().size(), e::getMessage);
    assertTrue(
        e.problems()
            .get(0)
            .message()
            .endsWith(
                " are for realm herald.test, but security.realm is other;"
                    + " no user's digest would match"),
        e::getMessage);
  }

  @Test
  void noSectionMeansNoUsers() throws Exception {
    assertEquals(DirectoryConfig.none(), ConfigLoader.parse(MINIMAL, "test").directory());
    assertEquals(
        DirectoryConfig.none(),
        ConfigLoader.parse(MINIMAL + "directory:\n  source: none\n", "test", dir).directory());
  }

  @Test
  void ldapSectionGetsItsDefaults() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            MINIMAL
                +
                """
                directory:
                  source: ldap
                  ldap:
                    url: ldap://ldap.example.org
                    bind-dn: cn=herald,dc=example,dc=org
                    bind-password-file: secrets/ldap-password
                    base-dn: ou=people,dc=example,dc=org
                """,
            "test",
            dir);

    LdapConfig ldap =
        new LdapConfig(
            "ldap://ldap.example.org",
            "cn=herald,dc=example,dc=org",
            dir.toAbsolutePath().resolve("secrets/ldap-password"),
            null,
            "ou=people,dc=example,dc=org",
            "(uid={0})",
            "sipAddress",
            "heraldEnabled",
            "cn",
            5_000,
            60);
    assertEquals(DirectoryConfig.ldap(ldap), config.directory());
    assertEquals("ldap.example.org", ldap.host());
    assertEquals(389, ldap.port());
    assertEquals(false, ldap.tls());
    assertEquals("uid", ldap.idAttribute());
  }

  @Test
  void ldapSectionAsWritten() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            MINIMAL
                +
                """
                directory:
                  source: ldap
                  ldap:
                    url: "ldaps://[2001:db8::5]"
                    bind-dn: CN=Herald,OU=Services,DC=corp,DC=example
                    bind-password-env: HERALD_LDAP_PASSWORD
                    base-dn: OU=Staff,DC=corp,DC=example
                    user-filter: "(&(objectClass=user)(sAMAccountName={0}))"
                    sip-address-attribute: msRTCSIP-PrimaryUserAddress
                    enabled-attribute: heraldEnabled
                    display-name-attribute: displayName
                    timeout-ms: 100
                """,
            "test");

    LdapConfig ldap = config.directory().ldap();
    assertEquals("HERALD_LDAP_PASSWORD", ldap.bindPasswordEnv());
    assertEquals(null, ldap.bindPasswordFile());
    assertEquals("2001:db8::5", ldap.host());
    assertEquals(636, ldap.port());
    assertEquals(true, ldap.tls());
    assertEquals("sAMAccountName", ldap.idAttribute());
    assertEquals("msRTCSIP-PrimaryUserAddress", ldap.sipAddressAttribute());
    assertEquals(100, ldap.timeoutMillis());
  }

  @Test
  void recordRefusesInconsistentSources() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DirectoryConfig(DirectorySource.LDAP, Path.of("users.yaml"), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DirectoryConfig(DirectorySource.FILE, null, null));
  }
}
