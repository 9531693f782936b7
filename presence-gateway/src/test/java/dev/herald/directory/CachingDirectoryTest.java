package dev.herald.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingDirectoryTest {
  private static final User ALICE =
      new User("alice", List.of("sip:alice@herald.test"), "Alice", true);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final RecordingDirectory ldap = new RecordingDirectory();
  private final CachingDirectory directory =
      new CachingDirectory(ldap, Duration.ofSeconds(60), ticker);

  @Test
  void aUserIsLookedUpOnceWithinTheTtl() {
    assertEquals(Optional.of(ALICE), directory.byAddress("sip:alice@herald.test"));
    assertEquals(Optional.of(ALICE), directory.byAddress("sip:alice@herald.test"));
    assertEquals(Optional.of(ALICE), directory.byId("alice"));
    assertEquals(Optional.of(ALICE), directory.byId("alice"));

    assertEquals(List.of("address sip:alice@herald.test", "id alice"), ldap.calls);
  }

  @Test
  void nobodyFoundIsRememberedToo() {
    directory.byAddress("sip:nobody@herald.test");
    directory.byAddress("sip:nobody@herald.test");

    assertEquals(List.of("address sip:nobody@herald.test"), ldap.calls);
  }

  @Test
  void afterTheTtlTheDirectoryIsAskedAgain() {
    directory.byId("alice");
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());
    directory.byId("alice");

    assertEquals(List.of("id alice", "id alice"), ldap.calls);
  }

  @Test
  void aFailedLookupIsNotCached() {
    ldap.down = true;
    assertThrows(DirectoryUnavailableException.class, () -> directory.byId("alice"));
    ldap.down = false;

    assertEquals(Optional.of(ALICE), directory.byId("alice"));
    assertEquals(List.of("id alice", "id alice"), ldap.calls);
  }

  @Test
  void everyPasswordCheckReachesTheDirectory() {
    assertTrue(directory.verifyPassword("alice", "secret"));
    assertTrue(directory.verifyPassword("alice", "secret"));

    assertEquals(List.of("bind alice", "bind alice"), ldap.calls);
  }

  /** A directory with one user, alice, that records every call. */
  private static final class RecordingDirectory implements Directory {
    final List<String> calls = new ArrayList<>();
    boolean down;

    private void check() {
      if (down) {
        throw new DirectoryUnavailableException("LDAP down (test)", null);
      }
    }

    @Override
    public Optional<User> byAddress(String sipAddress) {
      calls.add("address " + sipAddress);
      check();
      return ALICE.addresses().contains(sipAddress) ? Optional.of(ALICE) : Optional.empty();
    }

    @Override
    public Optional<User> byId(String id) {
      calls.add("id " + id);
      check();
      return ALICE.id().equals(id) ? Optional.of(ALICE) : Optional.empty();
    }

    @Override
    public PresenceLists presenceLists(String sipAddress) {
      return PresenceLists.NONE;
    }

    @Override
    public Optional<String> ha1(String id, String realm, String algorithmToken) {
      return Optional.empty();
    }

    @Override
    public boolean verifyPassword(String id, String password) {
      calls.add("bind " + id);
      return "secret".equals(password);
    }

    @Override
    public void close() {}
  }
}
