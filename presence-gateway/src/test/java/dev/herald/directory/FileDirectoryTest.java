package dev.herald.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.config.DirectoryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The file directory, from {@code src/test/resources/directory/users.yaml}. */
class FileDirectoryTest {

  private static final User ALICE =
      new User("alice", List.of("sip:alice@herald.test"), "Alice Example", true);
  private static final User CAROL =
      new User(
          "carol",
          List.of("sip:carol@herald.test", "sip:Carol.Example@herald.test"),
          "Carol Example",
          true);

  private Directory directory;

  @BeforeEach
  void open() throws Exception {
    directory = Directory.open(DirectoryConfig.file(fixture()));
  }

  @AfterEach
  void close() {
    directory.close();
  }

  @Test
  void byIdFindsUsersWithTheirDefaults() {
    assertEquals(Optional.of(ALICE), directory.byId("alice"));
    assertEquals(
        Optional.of(new User("bob", List.of("sip:bob@herald.test"), "bob", true)),
        directory.byId("bob"));
    assertEquals(Optional.empty(), directory.byId("mallory"));
    assertEquals(Optional.empty(), directory.byId("Alice"));
  }

  @Test
  void disabledUsersAreFound() {
    assertEquals(
        Optional.of(new User("dave", List.of("sip:dave@herald.test"), "Dave Example", false)),
        directory.byId("dave"));
    assertEquals(false, directory.byAddress("sip:dave@herald.test").orElseThrow().enabled());
  }

  /** The users file's lists, under each of the user's addresses; none for everyone else. */
  @Test
  void presenceListsAreFoundByEveryAddressOfTheirUser() {
    PresenceLists carols =
        new PresenceLists(
            List.of("*@partner.example", "sip:alice@herald.test"), List.of("sip:bob@herald.test"));

    assertEquals(carols, directory.presenceLists("sip:carol@herald.test"));
    assertEquals(carols, directory.presenceLists("SIP:Carol.Example@herald.TEST"));
    assertEquals(PresenceLists.NONE, directory.presenceLists("sip:alice@herald.test"));
    assertEquals(PresenceLists.NONE, directory.presenceLists("sip:nobody@herald.test"));
    assertEquals(PresenceLists.NONE, directory.presenceLists("not an address"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sip:alice@herald.test            | alice",
        "SIP:alice@HERALD.test            | alice",
        "sip:carol@herald.test            | carol",
        "sip:Carol.Example@herald.test    | carol",
        "sip:Carol.Example@HERALD.TEST    | carol",
        // The user part is case-sensitive (RFC 3261 §19.1.4).
        "sip:carol.example@herald.test    |",
        "sip:alice@other.test             |",
        "alice@herald.test                |",
        "sip:alice@herald.test;transport=tcp |",
      })
  void byAddressComparesNormalisedAddresses(String address, String id) {
    assertEquals(Optional.ofNullable(id), directory.byAddress(address).map(User::id));
  }

  @Test
  void byAddressGivesTheWholeUser() {
    assertEquals(Optional.of(CAROL), directory.byAddress("sip:Carol.Example@herald.test"));
  }

  @Test
  void ha1IsTheStoredHashForTheRealmAndAlgorithm() {
    assertEquals(
        Optional.of("9628d1e17ca0cab4a4c186986730f7fa"),
        directory.ha1("alice", "herald.test", "MD5"));
    assertEquals(
        Optional.of("ea361eb87706158fd5e0b4811614c4e8c9b5e92d5ef2939aaf87b13e6baf6e2a"),
        directory.ha1("alice", "herald.test", "SHA-256"));
    // RFC 7616 §3.3: algorithm tokens compare case-insensitively.
    assertEquals(
        Optional.of("9628d1e17ca0cab4a4c186986730f7fa"),
        directory.ha1("alice", "herald.test", "md5"));
  }

  @Test
  void ha1IsEmptyWhenNotStoredOrNotApplicable() {
    assertEquals(Optional.empty(), directory.ha1("bob", "herald.test", "SHA-256"));
    assertEquals(Optional.empty(), directory.ha1("carol", "herald.test", "MD5"));
    assertEquals(Optional.empty(), directory.ha1("alice", "other.test", "MD5"));
    assertEquals(Optional.empty(), directory.ha1("alice", "herald.test", "SHA-512-256"));
    assertEquals(Optional.empty(), directory.ha1("alice", "herald.test", "MD5-sess"));
    assertEquals(Optional.empty(), directory.ha1("mallory", "herald.test", "MD5"));
    assertEquals(Optional.empty(), directory.ha1("dave", "herald.test", "MD5"));
  }

  @Test
  void verifyPasswordComparesWithTheStoredHash() {
    assertTrue(directory.verifyPassword("alice", "alice-pass"));
    assertTrue(directory.verifyPassword("bob", "bob-pass"), "MD5 only");
    assertTrue(directory.verifyPassword("carol", "carol-pass"), "SHA-256 only");
    assertFalse(directory.verifyPassword("alice", "bob-pass"));
    assertFalse(directory.verifyPassword("alice", "Alice-pass"));
    assertFalse(directory.verifyPassword("alice", ""));
    assertFalse(directory.verifyPassword("alice", null));
    assertFalse(directory.verifyPassword("mallory", "alice-pass"));
  }

  @Test
  void disabledUserHasNoCredentials() {
    assertFalse(directory.verifyPassword("dave", "dave-pass"));
  }

  @Test
  void brokenUsersFileDoesNotOpenAndSaysWhy(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("users.yaml");
    Files.writeString(users, "realm: herald.test\nusers:\n  - id: alice\n");

    DirectoryException e =
        assertThrows(DirectoryException.class, () -> Directory.open(DirectoryConfig.file(users)));

    assertEquals(
            """
        the users file is not usable:
        %1$s: users[0].addresses: required
        %1$s: users[0]: needs ha1-md5 or ha1-sha256, or both"""
            .formatted(users),
        e.getMessage());
  }

  @Test
  void missingUsersFileDoesNotOpen(@TempDir Path dir) {
    Path users = dir.resolve("users.yaml");

    DirectoryException e =
        assertThrows(DirectoryException.class, () -> Directory.open(DirectoryConfig.file(users)));

    assertTrue(e.getMessage().endsWith("cannot read " + users + ": no such file"), e.getMessage());
  }

  @Test
  void noDirectoryKnowsNobody() throws Exception {
    try (Directory none = Directory.open(DirectoryConfig.none())) {
      assertEquals(Optional.empty(), none.byId("alice"));
      assertEquals(Optional.empty(), none.byAddress("sip:alice@herald.test"));
      assertEquals(Optional.empty(), none.ha1("alice", "", "MD5"));
      assertFalse(none.verifyPassword("alice", "alice-pass"));
    }
  }

  @Test
  void closedDirectoryRefusesLookups() {
    directory.close();
    directory.close();

    assertThrows(IllegalStateException.class, () -> directory.byId("alice"));
    assertThrows(IllegalStateException.class, () -> directory.byAddress("sip:alice@herald.test"));
    assertThrows(IllegalStateException.class, () -> directory.ha1("alice", "herald.test", "MD5"));
    assertThrows(IllegalStateException.class, () -> directory.verifyPassword("alice", "x"));
    assertThrows(
        IllegalStateException.class, () -> directory.presenceLists("sip:carol@herald.test"));
  }

  static Path fixture() throws Exception {
    var url = FileDirectoryTest.class.getResource("/directory/users.yaml");
    if (url == null) {
      throw new IllegalStateException("no test resource directory/users.yaml");
    }
    return Path.of(url.toURI());
  }
}
