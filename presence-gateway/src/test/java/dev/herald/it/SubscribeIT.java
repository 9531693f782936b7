package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 6665 and RFC 3856: subscriptions, NOTIFY on every change, refresh, end and expiry. */
class SubscribeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  /**
   * Initial NOTIFY (closed), three changes each notified with its state in order, the removal
   * notified as closed, refresh with a full-state NOTIFY, unsubscribe with a final NOTIFY.
   */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void lifecycle(SippTransport transport) {
    try (RunningSipp watcher =
        herald
            .sipp("watcher", transport)
            .service("alice")
            .key("notifies", "3")
            .key("removed", "yes")
            .start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald
          .sipp("publisher-sequence", transport)
          .service("alice")
          .key("states", "3")
          .run()
          .assertPassed();
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // initial + 3 changes + removal + refresh + unsubscribe
      assertEquals(7, w.received("NOTIFY"), w.describe());
    }
    herald.await("no subscription left", s -> s.subscriptions() == 0);
  }

  /** Several watchers of one presentity all get every change, in order. */
  @Test
  void fanOut() {
    int watchers = 4;
    try (RunningSipp watcher =
        herald
            .sipp("watcher", SippTransport.UDP)
            .service("bob")
            .calls(watchers)
            .limit(watchers)
            .rate(50)
            .key("notifies", "3")
            .key("removed", "yes")
            .start()) {
      watcher.awaitMilestone("subscribed", watchers, WAIT);
      herald.await("every watcher subscribed", s -> s.subscriptions() == watchers);
      herald
          .sipp("publisher-sequence", SippTransport.UDP)
          .service("bob")
          .key("states", "3")
          .run()
          .assertPassed();
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      assertEquals(watchers, w.successfulCalls(), w.describe());
      assertEquals(7L * watchers, w.received("NOTIFY"), w.describe());
    }
  }

  /** RFC 6665 §4.2.2: a NOTIFY answered 481 ends the subscription; nothing more is sent. */
  @Test
  void notifyAnswered481EndsTheSubscription() {
    try (RunningSipp watcher =
        herald
            .sipp("watcher-481", SippTransport.UDP)
            .service("carol")
            .key("linger_ms", "1500")
            .start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald
          .sipp("publisher-sequence", SippTransport.UDP)
          .service("carol")
          .key("states", "1")
          .run()
          .assertPassed();
      watcher.awaitMilestone("answered-481", WAIT);
      herald.await("the subscription to be dropped", s -> s.subscriptions() == 0);
      long sentBefore = herald.stats().notifiesSent();
      // A further change must reach nobody: the watcher fails its call if a NOTIFY arrives.
      herald
          .sipp("publisher-sequence", SippTransport.UDP)
          .service("carol")
          .key("states", "1")
          .run()
          .assertPassed();
      watcher.awaitExit(WAIT).assertPassed();
      assertEquals(sentBefore, herald.stats().notifiesSent());
    }
  }

  /** RFC 6665 §4.2.2: expiry ends the subscription with terminated;reason=timeout. */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void expiryIsNotified(SippTransport transport) {
    herald
        .sipp("watcher-expiry", transport)
        .service("dave")
        .key("expires", "2")
        .run()
        .assertPassed();
    herald.await("the subscription to be gone", s -> s.subscriptions() == 0);
  }

  /** 489 (unknown and missing Event), 406 (no acceptable type), 404 (foreign domain), 481. */
  @Test
  void errors() {
    herald.sipp("subscribe-errors", SippTransport.UDP).service("erin").run().assertPassed();
    assertEquals(0, herald.stats().subscriptions());
  }

  /** Cisco phones accept only application/cpim-pidf+xml and get PIDF. */
  @Test
  void ciscoAcceptGetsPidf() {
    herald.sipp("watcher-cisco", SippTransport.UDP).service("frank").run().assertPassed();
  }

  /** The final NOTIFY at shutdown says deactivated (RFC 6665 §4.1.3), over UDP and TCP. */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void shutdownDeactivatesEverySubscription(SippTransport transport) {
    try (RunningSipp watcher = herald.sipp("watcher-shutdown", transport).service("gina").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      herald.close();
      watcher.awaitExit(WAIT).assertPassed();
    }
  }
}
