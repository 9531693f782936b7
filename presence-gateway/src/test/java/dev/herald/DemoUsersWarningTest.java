package dev.herald;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.config.DirectoryConfig;
import dev.herald.directory.Directory;
import dev.herald.sip.auth.DigestAlgorithm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When Herald warns at start that the demo users are exposed ({@link Herald#exposedDemoUsers}): a
 * demo user whose stored HA1 is still the demo password's, and a listener beyond loopback.
 */
class DemoUsersWarningTest {

  /** The users file beside the shipped config; surefire runs in the module directory. */
  private static final Path SHIPPED_USERS = Path.of("..", "config", "users.yaml");

  /** Every demo user with the HA1 of the demo password, dave included. */
  private static final Function<String, Optional<String>> DEMO_HA1S =
      id -> Optional.of(DigestAlgorithm.MD5.ha1(id, "herald.test", id + "-demo"));

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.1", "2001:db8::1"})
  void demoUsersOnANonLoopbackListenerAreExposed(String address) {
    assertEquals(
        List.of("alice", "bob", "carol", "dave"),
        Herald.exposedDemoUsers(List.of(address), DEMO_HA1S));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1"})
  void demoUsersOnLoopbackOnlyAreNotExposed(String address) {
    assertEquals(List.of(), Herald.exposedDemoUsers(List.of(address), DEMO_HA1S));
  }

  /** One listener beyond loopback is enough, whatever the others are. */
  @Test
  void oneNonLoopbackListenerAmongLoopbackOnesIsEnough() {
    assertEquals(
        List.of("alice", "bob", "carol", "dave"),
        Herald.exposedDemoUsers(List.of("127.0.0.1", "::1", "0.0.0.0"), DEMO_HA1S));
  }

  /** Users with other passwords, or none stored (unknown or disabled), are not demo users. */
  @Test
  void onlyUsersStillOnTheirDemoPasswordAreNamed() {
    Map<String, String> stored =
        Map.of(
            "alice", DigestAlgorithm.MD5.ha1("alice", "herald.test", "alice-demo"),
            "bob", DigestAlgorithm.MD5.ha1("bob", "herald.test", "a real password"),
            "carol", DigestAlgorithm.MD5.ha1("carol", "elsewhere.test", "carol-demo"));

    assertEquals(
        List.of("alice"),
        Herald.exposedDemoUsers(List.of("0.0.0.0"), id -> Optional.ofNullable(stored.get(id))));
  }

  @Test
  void aUsersFileWithoutDemoUsersIsNotExposed() {
    assertEquals(List.of(), Herald.exposedDemoUsers(List.of("0.0.0.0"), id -> Optional.empty()));
  }

  /**
   * The shipped config/users.yaml, read as Herald reads it: alice, bob and carol are recognised;
   * dave is disabled, so the directory gives no HA1 for him and he cannot sign in anyway.
   */
  @Test
  void theShippedUsersFileIsRecognised() throws Exception {
    try (Directory directory = Directory.open(DirectoryConfig.file(SHIPPED_USERS))) {
      assertEquals(
          List.of("alice", "bob", "carol"),
          Herald.exposedDemoUsers(
              List.of("0.0.0.0"), id -> directory.ha1(id, "herald.test", "MD5")));
    }
  }
}
