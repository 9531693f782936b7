package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.presence.auth.PresenceAuthorization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Presence authorization (RFC 3856 §6.6.2): a watcher to confirm waits, pending, until the
 * presentity decides through Herald's API; a blocked watcher is blocked politely, its subscription
 * active and every document closed.
 */
class PresenceAuthorizationIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ALICE = "sip:alice@herald.test";

  private RunningHerald herald;

  @AfterEach
  void stop() {
    if (herald != null) {
      herald.close();
    }
  }

  private PresenceAuthorization authorization() {
    return herald.herald().authorization();
  }

  /**
   * partner.example is to be confirmed: 200 and NOTIFY pending without body; a publication
   * meanwhile sends the pending watcher nothing; once allowed, a NOTIFY active with the latest
   * state.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void aWatcherToConfirmIsPendingUntilAllowed(SippTransport transport) throws Exception {
    herald =
        RunningHerald.start(
            RunningHerald.presence(
                """
                authorization:
                  default: allow
                  domains: {partner.example: confirm}
                """));
    herald
        .sipp("publish-once", transport)
        .service("alice")
        .key("note", "first")
        .run()
        .assertPassed();
    try (RunningSipp watcher =
        herald
            .sipp("watcher-pending", transport)
            .service("alice")
            .key("watcher_domain", "partner.example")
            .key("note", "second")
            .start()) {
      watcher.awaitMilestone("pending", WAIT);
      assertEquals(List.of("sip:watcher@partner.example"), authorization().pending(ALICE));
      herald
          .sipp("publish-once", transport)
          .service("alice")
          .key("note", "second")
          .run()
          .assertPassed();

      authorization().allow(ALICE, "sip:watcher@partner.example");

      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // pending + the decision's full state + the final one
      assertEquals(3, w.received("NOTIFY"), w.describe());
    }
    assertEquals(3, herald.stats().notifiesSent(), "none for the publication while pending");
    assertEquals(List.of(), authorization().pending(ALICE));
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  /**
   * Alice's users-file block list names the watcher: its subscription is active, every document
   * closed and nothing else though Alice published open with a note, and her next publication sends
   * it nothing.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void aWatcherOnTheBlockListSeesOnlyClosed(SippTransport transport) throws Exception {
    herald =
        RunningHerald.start(
            "", Map.of("alice", "presence-block: [sip:watcher@herald.test, \"*@spam.example\"]"));
    herald.sipp("publish-once", transport).service("alice").run().assertPassed();
    try (RunningSipp watcher = herald.sipp("watcher-blocked", transport).service("alice").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald
          .sipp("publish-once", transport)
          .service("alice")
          .key("note", "changed")
          .run()
          .assertPassed();

      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // initial + refresh + unsubscribe, each closed
      assertEquals(3, w.received("NOTIFY"), w.describe());
    }
    assertEquals(3, herald.stats().notifiesSent(), "none for the publication: nothing changed");
  }

  /**
   * spam.example is blocked by the domain policy, herald.test allowed: one watcher of each, of the
   * same published state, sees closed and open.
   */
  @Test
  void theDomainPolicyBlocksOneDomainAndNotAnother() throws Exception {
    herald =
        RunningHerald.start(
            RunningHerald.presence(
                """
                authorization:
                  domains: {spam.example: block}
                """));
    herald.sipp("publish-once", SippTransport.UDP).service("bob").run().assertPassed();

    herald
        .sipp("watcher-blocked", SippTransport.UDP)
        .service("bob")
        .key("watcher_domain", "spam.example")
        .key("linger_ms", "0")
        .run()
        .assertPassed();
    herald
        .sipp("watcher", SippTransport.UDP)
        .service("bob")
        .key("initial_basic", "open")
        .run()
        .assertPassed();
  }

  /** Denying a pending watcher blocks it politely: NOTIFY active with the closed document. */
  @Test
  void aDeniedWatcherSeesClosed() throws Exception {
    herald =
        RunningHerald.start(
            RunningHerald.presence(
                """
                authorization:
                  default: confirm
                """));
    herald.sipp("publish-once", SippTransport.UDP).service("carol").run().assertPassed();
    try (RunningSipp watcher =
        herald
            .sipp("watcher-pending", SippTransport.UDP)
            .service("carol")
            .key("watcher_domain", "elsewhere.example")
            .key("decision", "deny")
            .start()) {
      watcher.awaitMilestone("pending", WAIT);

      authorization().deny("sip:carol@herald.test", "sip:watcher@elsewhere.example");

      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      assertEquals(3, w.received("NOTIFY"), w.describe());
    }
    assertEquals(List.of(), authorization().pending("sip:carol@herald.test"));
  }
}
