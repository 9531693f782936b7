package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 §17.1.2 on the wire for a NOTIFY over UDP, which goes through Herald's own client
 * transactions since issue 7 (UdpClientTransactions): an unanswered NOTIFY is retransmitted, an
 * answer to a retransmission completes it and the subscription lives on, and a watcher that never
 * answers loses its subscription when Timer F (32 s) fires, with no final NOTIFY.
 */
class NotifyRetransmissionIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The step of the change's NOTIFY in both scenarios (send, recv, pause and nop from 0). */
  private static final String CHANGE_NOTIFY_RETRANSMITTED = "8_NOTIFY_Retrans";

  private RunningHerald herald;

  @BeforeEach
  void start() throws Exception {
    herald = RunningHerald.start();
  }

  @AfterEach
  void stop() {
    herald.close();
  }

  @Test
  void aNotifyAnsweredAfterItsRetransmissionKeepsTheSubscription() {
    try (RunningSipp watcher =
        herald.sipp("watcher-late-answer", SippTransport.UDP).service("alice").start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      // a state, then its removal: the removal's NOTIFY waits behind the unanswered one
      publish("alice");
      SippResult w = watcher.awaitExit(WAIT).assertPassed();
      // 1,800 ms unanswered: copies at 500 and 1,500 ms (one more on a slow machine is fine)
      long copies = w.messageCounts().getOrDefault(CHANGE_NOTIFY_RETRANSMITTED, 0L);
      assertTrue(copies >= 1 && copies <= 3, copies + " retransmissions\n" + w.describe());
      assertEquals(3, w.received("NOTIFY"), w.describe());
    }
    herald.await("the last answer taken", s -> s.notifiesInFlight() == 0);
    assertEquals(0, herald.stats().notifiesFailed(), herald.stats().toString());
    assertEquals(1, herald.stats().subscriptions(), herald.stats().toString());
  }

  @Test
  void aWatcherThatNeverAnswersLosesItsSubscriptionAtTimerF() {
    try (RunningSipp watcher =
        herald
            .sipp("watcher-silent", SippTransport.UDP)
            .service("bob")
            .timeout(Duration.ofSeconds(60))
            .start()) {
      watcher.awaitMilestone("subscribed", WAIT);
      long start = System.nanoTime();
      publish("bob");
      watcher.awaitMilestone("ignoring", WAIT);
      assertEquals(1, herald.stats().notifiesInFlight(), herald.stats().toString());
      SippResult w = watcher.awaitExit(Duration.ofSeconds(50)).assertPassed();
      herald.await("the subscription ended by Timer F", s -> s.subscriptions() == 0);
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      assertTrue(seconds >= 32, "ended after " + seconds + " s");
      // T1 = 500 ms doubling to T2 = 4 s over 32 s: copies at 0.5, 1.5, 3.5, 7.5, then every 4 s
      long copies = w.messageCounts().getOrDefault(CHANGE_NOTIFY_RETRANSMITTED, 0L);
      assertTrue(copies >= 9 && copies <= 11, copies + " retransmissions\n" + w.describe());
      assertEquals(2, w.received("NOTIFY"), "no final NOTIFY\n" + w.describe());
    }
    assertEquals(1, herald.stats().notifiesFailed(), herald.stats().toString());
    assertEquals(0, herald.stats().notifiesInFlight(), herald.stats().toString());
  }

  /** publisher-sequence with one state: a PUBLISH, then its removal (two changes). */
  private void publish(String user) {
    herald
        .sipp("publisher-sequence", SippTransport.UDP)
        .service(user)
        .key("states", "1")
        .run()
        .assertPassed();
  }
}
