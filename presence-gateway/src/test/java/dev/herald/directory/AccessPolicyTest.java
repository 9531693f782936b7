package dev.herald.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.config.DirectoryConfig;
import dev.herald.sip.Identity;
import dev.herald.sip.Rejection;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may watch the watchers (RFC 3857), and which address a watcher is authorized as (RFC 3856
 * §6.6.2), against the users of {@code src/test/resources/directory/users.yaml}.
 */
class AccessPolicyTest {
  private Directory directory;
  private AccessPolicy access;

  @BeforeEach
  void open() throws Exception {
    Path users = Path.of(AccessPolicyTest.class.getResource("/directory/users.yaml").toURI());
    directory = Directory.open(DirectoryConfig.file(users));
    access = AccessPolicy.of(directory);
  }

  @AfterEach
  void close() {
    directory.close();
  }

  @Test
  void aUserMayWatchTheWatchersOfTheirOwnAddressesOnly() {
    assertNull(access.mayWatchWatchers(Identity.user("carol"), "sip:carol@herald.test"));
    assertNull(access.mayWatchWatchers(Identity.user("carol"), "sip:Carol.Example@herald.test"));

    Rejection bob = access.mayWatchWatchers(Identity.user("bob"), "sip:carol@herald.test");
    assertEquals(403, bob.status());
    assertEquals(
        "Forbidden (bob may not watch the watchers of sip:carol@herald.test)", bob.reason());
  }

  @Test
  void aTrustedPeerMayWatchTheWatchersOfAnyPresenceUser() {
    assertNull(access.mayWatchWatchers(Identity.TRUSTED_PEER, "sip:alice@herald.test"));
    assertEquals(
        404, access.mayWatchWatchers(Identity.TRUSTED_PEER, "sip:nobody@herald.test").status());
    assertEquals(
        404,
        access.mayWatchWatchers(Identity.TRUSTED_PEER, "sip:dave@herald.test").status(),
        "dave is not enabled");
  }

  @Test
  void withoutADirectoryAnyoneWhoGotThroughMayWatchTheWatchers() {
    assertNull(AccessPolicy.open().mayWatchWatchers(Identity.TRUSTED_PEER, "sip:x@herald.test"));
  }

  /** An authenticated user is their own address; the From URI is believed only if it is theirs. */
  @Test
  void anAuthenticatedWatcherIsOneOfTheirOwnAddresses() {
    assertEquals(
        "sip:Carol.Example@herald.test",
        access.watcher(Identity.user("carol"), "sip:Carol.Example@herald.test"));
    assertEquals(
        "sip:carol@herald.test",
        access.watcher(Identity.user("carol"), "sip:alice@herald.test"),
        "a From that is someone else's does not make carol alice");
    assertEquals(
        "sip:bob@herald.test", access.watcher(Identity.user("bob"), "sip:anonymous@herald.test"));
  }

  /** A MESSAGE's From must be the authenticated user's own address (any of them). */
  @Test
  void anAuthenticatedUserSendsMessagesAsTheirOwnAddressesOnly() {
    assertNull(access.maySendAs(Identity.user("carol"), "sip:carol@herald.test"));
    assertNull(access.maySendAs(Identity.user("carol"), "sip:Carol.Example@herald.test"));

    Rejection forged = access.maySendAs(Identity.user("bob"), "sip:alice@herald.test");
    assertEquals(403, forged.status());
    assertEquals(
        "Forbidden (the From sip:alice@herald.test is not an address of the authenticated user"
            + " bob)",
        forged.reason());
    assertEquals(
        403,
        access.maySendAs(Identity.user("bob"), "sip:nobody@herald.test").status(),
        "an address nobody owns is not bob's either");
    assertEquals(
        "Forbidden (dave is not enabled for IM and presence)",
        access.maySendAs(Identity.user("dave"), "sip:dave@herald.test").reason());
  }

  /** A trunk (trusted peer) relays messages of anyone, users of Herald's or not. */
  @Test
  void aTrustedPeerSendsMessagesAsAnyone() {
    assertNull(access.maySendAs(Identity.TRUSTED_PEER, "sip:alice@herald.test"));
    assertNull(access.maySendAs(Identity.TRUSTED_PEER, "sip:pat@partner.example"));
    assertNull(AccessPolicy.open().maySendAs(Identity.TRUSTED_PEER, "sip:x@herald.test"));
  }

  @Test
  void aTrustedPeersWatcherIsTheFromAddress() {
    assertEquals(
        "sip:pat@partner.example",
        access.watcher(Identity.TRUSTED_PEER, "sip:pat@partner.example"));
    assertEquals(
        "sip:pat@partner.example",
        AccessPolicy.open().watcher(Identity.TRUSTED_PEER, "sip:pat@partner.example"));
  }
}
