package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The users file: one fixture per rule under {@code src/test/resources/users/invalid/}, each valid
 * but for one mistake, and the HA1 helper against the values of md5sum and sha256sum.
 */
class UsersFileLoaderTest {

  /** Fixture, expected path, a distinctive part of the expected message. */
  static List<Arguments> fixtures() {
    return List.of(
        arguments("empty-file.yaml", "", "the file is empty; it needs realm and users"),
        arguments("missing-realm.yaml", "realm", "required"),
        arguments(
            "realm-with-backslash.yaml",
            "realm",
            "must not hold quotes, backslashes or control characters"),
        arguments("missing-users.yaml", "users", "required"),
        arguments("users-not-a-list.yaml", "users", "must be a list, was a mapping"),
        arguments(
            "password-key.yaml",
            "users[0].password",
            "unknown key (expected one of: id, display-name, addresses, enabled, ha1-md5,"
                + " ha1-sha256, presence-allow, presence-block)"),
        arguments("duplicate-id.yaml", "users[1].id", "duplicates the id of users[0] (alice)"),
        arguments(
            "bad-id.yaml",
            "users[0].id",
            "must be 1..64 letters, digits, '.', '_', '-' or '+', starting with a letter or"
                + " digit, was \"alice smith\""),
        arguments(
            "blank-display-name.yaml",
            "users[0].display-name",
            "must not be blank (leave it out for the id)"),
        arguments(
            "address-not-sip.yaml",
            "users[0].addresses[0]",
            "must be a sip:user@host address such as sip:alice@herald.test (no port, no"
                + " parameters), was \"alice@herald.test\""),
        arguments(
            "address-with-port.yaml",
            "users[0].addresses[0]",
            "was \"sip:alice@herald.test:5060\""),
        arguments(
            "address-claimed-twice.yaml",
            "users[1].addresses[0]",
            "sip:alice@herald.test already belongs to users[0] (alice)"),
        arguments(
            "duplicate-address-in-user.yaml",
            "users[0].addresses[1]",
            "duplicates users[0].addresses[0] (sip:alice@herald.test)"),
        arguments("no-addresses.yaml", "users[0].addresses", "must list at least one address"),
        arguments("enabled-not-boolean.yaml", "users[0].enabled", "must be true or false"),
        arguments("no-hashes.yaml", "users[0]", "needs ha1-md5 or ha1-sha256, or both"),
        arguments(
            "md5-wrong-length.yaml",
            "users[0].ha1-md5",
            "must be 32 lower-case hex digits, the MD5 hash of id:realm:password,"
                + " was 31 characters long"),
        arguments("md5-not-hex.yaml", "users[0].ha1-md5", "has characters that are not hex digits"),
        arguments(
            "sha256-upper-case.yaml",
            "users[0].ha1-sha256",
            "must be 64 lower-case hex digits, the SHA-256 hash of id:realm:password,"
                + " has upper-case digits"),
        arguments(
            "presence-allow-not-sip.yaml",
            "users[0].presence-allow[0]",
            "must be a watcher's address such as sip:bob@herald.test (no port, no parameters) or"
                + " a whole domain such as *@partner.example, was \"bob@herald.test\""),
        arguments(
            "presence-block-bad-domain.yaml",
            "users[0].presence-block[0]",
            "or a whole domain such as *@partner.example, was \"*@partner_example\""),
        arguments(
            "presence-block-sip-wildcard.yaml",
            "users[0].presence-block[0]",
            "is the address of a user named *, not a whole domain; write *@partner.example for"
                + " every watcher of the domain"),
        arguments(
            "presence-allow-duplicate.yaml",
            "users[0].presence-allow[1]",
            "duplicates users[0].presence-allow[0] (sip:bob@herald.test)"),
        arguments(
            "presence-on-both-lists.yaml",
            "users[0].presence-block[1]",
            "*@partner.example is also on users[0].presence-allow[0]; a watcher is on one list or"
                + " the other"),
        arguments(
            "presence-block-not-a-list.yaml",
            "users[0].presence-block",
            "must be a list, was \"sip:bob@herald.test\""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("fixtures")
  void eachRuleReportsOneProblemWithItsPath(String fixture, String path, String message)
      throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> UsersFileLoader.load(fixture("invalid/" + fixture)));

    assertEquals(1, e.problems().size(), () -> "expected one problem, got " + e.problems());
    ConfigProblem problem = e.problems().get(0);
    assertEquals(path, problem.path(), () -> "path of " + problem);
    assertTrue(
        problem.message().contains(message), () -> "message of " + problem + " lacks: " + message);
  }

  /** A fixture left out of {@link #fixtures()} would test nothing; this catches it. */
  @Test
  void everyFixtureHasAnExpectation() throws Exception {
    Set<String> expected =
        fixtures().stream().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
    Set<String> present;
    try (Stream<Path> files = Files.list(fixture("invalid"))) {
      present = files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
    assertEquals(expected, present);
  }

  @Test
  void validFileGetsDefaultsAndNormalisedAddresses() throws Exception {
    UsersFile users = UsersFileLoader.load(fixture("valid.yaml"));

    assertEquals(
        new UsersFile(
            "herald.test",
            List.of(
                new UserEntry(
                    "alice",
                    List.of("sip:alice@herald.test"),
                    "Alice Example",
                    true,
                    "cd307812e5e294d716f1f8642d35e3e4",
                    "a4075f553346f739ae8a6f5db6a8c051a7b93b38c2e639bd4780efd3aa0dc8f8"),
                // Presence list entries normalised like addresses; domains lower-cased.
                new UserEntry(
                    "bob",
                    List.of("sip:bob@herald.test"),
                    "bob",
                    false,
                    "611483eb4369fb47f02cf450beb0365f",
                    null,
                    List.of("sip:carol@herald.test", "*@partner.example"),
                    List.of("*@spam.example", "sip:dave@herald.test")),
                // Scheme and host lower-cased; the user part kept, as it compares case-sensitively.
                new UserEntry(
                    "carol.x+1",
                    List.of(
                        "sip:carol@herald.test", "sip:Carol@herald.test", "sip:carol@192.0.2.7"),
                    "Carol",
                    true,
                    null,
                    "8e716c1e5a6753f5e5da2998e197dfb95f10447b41c1b988f021379984e7ae01"))),
        users);
  }

  @Test
  void everyProblemIsReportedInDocumentOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("users.yaml");
    Files.writeString(
        file,
        """
        users:
          - id: alice
            addresses: [alice]
          - id: alice
            addresses: [sip:bob@herald.test]
            ha1-md5: 611483eb4369fb47f02cf450beb0365f
            enabled: maybe
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> UsersFileLoader.load(file));

    assertEquals(
        List.of(
            "users[0].addresses[0]: must be a sip:user@host address such as sip:alice@herald.test"
                + " (no port, no parameters), was \"alice\"",
            "users[0]: needs ha1-md5 or ha1-sha256, or both",
            "users[1].enabled: must be true or false, was \"maybe\"",
            "realm: required"),
        e.problems().stream().map(ConfigProblem::toString).toList());
    assertTrue(e.getMessage().startsWith(file + ": users[0].addresses[0]: "), e.getMessage());
  }

  @Test
  void missingFileIsOneProblemNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("users.yaml");

    ConfigException e = assertThrows(ConfigException.class, () -> UsersFileLoader.load(missing));

    assertEquals(
        List.of(new ConfigProblem("", "cannot read " + missing + ": no such file")), e.problems());
  }

  /** The values of {@code printf 'alice:herald.test:alice-demo' | md5sum} and of sha256sum. */
  @Test
  void ha1IsWhatMd5sumAndSha256sumGive() {
    assertEquals(
        "cd307812e5e294d716f1f8642d35e3e4",
        UsersFile.ha1("MD5", "alice", "herald.test", "alice-demo"));
    assertEquals(
        "a4075f553346f739ae8a6f5db6a8c051a7b93b38c2e639bd4780efd3aa0dc8f8",
        UsersFile.ha1("SHA-256", "alice", "herald.test", "alice-demo"));
    assertEquals(
        "ef1b0b3241b2c36ef9a072bcc0206a9b",
        UsersFile.ha1("MD5", "dave", "herald.test", "dave-demo"));
  }

  /**
   * RFC 7616 §3.4.2 hashes UTF-8 bytes: md5sum of "jose:herald.test:pass" with accents in UTF-8.
   */
  @Test
  void ha1HashesUtf8() {
    assertEquals(
        "11f6c9261f6ab696fa408984e71c408c",
        UsersFile.ha1("MD5", "jos\u00e9", "herald.test", "p\u00e4ss"));
  }

  @Test
  void ha1RefusesOtherAlgorithms() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UsersFile.ha1("SHA-512-256", "alice", "herald.test", "alice-demo"));
    assertEquals("algorithm must be one of [SHA-256, MD5], was SHA-512-256", e.getMessage());
  }

  static Path fixture(String name) throws URISyntaxException, IOException {
    var url = UsersFileLoaderTest.class.getResource("/users/" + name);
    if (url == null) {
      throw new IOException("no test resource users/" + name);
    }
    return Path.of(url.toURI());
  }
}
