package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.fixtures.sipp.RunningSipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PresenceStats;
import dev.herald.presence.PublishReply;
import dev.herald.presence.PublishRequest;
import dev.herald.presence.Resource;
import dev.herald.sip.Rejection;
import dev.herald.sip.SipStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overload at gateway level (issue 6: "under a flood at about twice the rate Herald can serve, the
 * established watchers still get their NOTIFYs, the excess gets 503, and memory stays bounded").
 *
 * <p>Established watchers (SIPp {@code watcher}, one subscription each to one presentity) are up;
 * then SIPp floods Herald with out-of-dialog OPTIONS over UDP ({@code flood-options}) while the
 * presentity changes K times. The overload guard's datagram threshold is set low so that the flood,
 * not the machine's other load, is what trips it; the rate limit is off, so the guard is the one
 * that answers. Asserted, because it holds whatever the machine's speed: every watcher gets every
 * change, in order, then its refresh and unsubscribe work (SIPp exit 0, exact NOTIFY count); the
 * flood gets 503 with Retry-After (at least one; every 503 SIPp saw carried Retry-After and
 * "overloaded", or its call would have failed on the regexp); once the flood is over, the stack's
 * transactions drain to zero and the heap after a full GC is within 32 MiB of where it was before.
 *
 * <p>The publisher is Herald's own API, not a SIP peer: a PUBLISH is itself a new out-of-dialog
 * request, which the guard rightly refuses during the flood, so a SIP publisher's changes would
 * come and go with the machine's load. Each change waits until the previous one reached every
 * watcher (at least 250 ms apart), so no NOTIFY is coalesced away and the count is exact.
 */
class FloodIT {
  private static final Logger LOG = LoggerFactory.getLogger(FloodIT.class);
  private static final int WATCHERS = 20;
  private static final int CHANGES = 3;
  private static final int FLOOD_RATE = 2_000;
  // At most 60 s of flood; it is stopped once the watchers are done.
  private static final int FLOOD_CALLS = 150_000;
  private static final Resource FLOODED = new Resource("sip:erin@herald.test", "presence");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final String CONFIG =
      """
      sip:
        thread-pool-size: 2
        rate-limit: {per-second: 0}
        overload: {max-queued-datagrams: 20, max-backlog: 0, retry-after: 5}
      """;

  @Test
  void establishedWatchersGetEveryNotifyTheFloodGets503AndMemoryStaysBounded() throws Exception {
    try (RunningHerald herald = RunningHerald.start(CONFIG);
        RunningSipp watchers =
            herald
                .sipp("watcher", SippTransport.TCP)
                .service("erin")
                .calls(WATCHERS)
                .limit(WATCHERS)
                .rate(50)
                .key("notifies", String.valueOf(CHANGES))
                .timeout(Duration.ofSeconds(90))
                .start()) {
      watchers.awaitMilestone("subscribed", WATCHERS, WAIT);
      herald.await("every watcher subscribed", s -> s.subscriptions() == WATCHERS);
      long heapBefore = heapAfterGc();

      long floodStart = System.nanoTime();
      RunningSipp flood =
          herald
              .sipp("flood-options", SippTransport.UDP)
              .arg("-nr") // no retransmissions: the offered rate is the rate
              .calls(FLOOD_CALLS)
              .rate(FLOOD_RATE)
              .limit(FLOOD_CALLS)
              .traceMessages(false)
              .timeout(Duration.ofSeconds(90))
              .start();
      try {
        Thread.sleep(1_000); // the flood is on
        publishChangesDuringTheFlood(herald, flood);

        SippResult w = watchers.awaitExit(Duration.ofSeconds(60)).assertPassed();
        assertEquals(WATCHERS, w.successfulCalls(), w.describe());
        // initial + changes + removal + refresh + unsubscribe, to every watcher
        assertEquals((long) WATCHERS * (CHANGES + 4), w.received("NOTIFY"), w.describe());

        assertTrue(flood.isAlive(), "the flood ended before the watchers were done");
        SippResult f = flood.awaitExit(Duration.ZERO); // stops it: SIGTERM, its counts are kept
        double seconds = (System.nanoTime() - floodStart) / 1e9;
        assertTrue(f.received("503") > 0, "no 503 under the flood\n" + f.describe());
        assertTrue(
            !f.failureCauses().containsKey("FailedRegexpDoesntMatch"),
            "a 503 without Retry-After or reason\n" + f.describe());
        LOG.info(
            "OPTIONS flood offered at {}/s for {} s: {} answered 200, {} answered 503"
                + " ({} answers/s), {} unanswered in 5 s",
            FLOOD_RATE,
            String.format("%.1f", seconds),
            f.received("200"),
            f.received("503"),
            String.format("%.0f", (f.received("200") + f.received("503")) / seconds),
            f.failedCalls());
      } finally {
        flood.close();
      }

      awaitTrue(
          "the stack's transactions drained",
          Duration.ofSeconds(45),
          () -> {
            SipStats s = herald.herald().sip().stats();
            return s.serverTransactions() == 0 && s.clientTransactions() == 0;
          },
          () -> herald.herald().sip().stats().toString());
      PresenceStats p = herald.stats();
      assertEquals(0, p.subscriptions(), p.toString());
      long heapAfter = heapAfterGc();
      assertTrue(
          heapAfter - heapBefore < 32L << 20,
          "heap after GC grew from " + mib(heapBefore) + " to " + mib(heapAfter) + " MiB");
    }
  }

  /**
   * The presentity changes {@link #CHANGES} times (notes state-1..state-K, as the watcher scenario
   * expects), then its publication is removed; each step waits until every watcher has answered the
   * NOTIFY of the one before. The flood must still be running when the last change is out, or the
   * test proves nothing.
   */
  private static void publishChangesDuringTheFlood(RunningHerald herald, RunningSipp flood)
      throws Exception {
    PresencePackage pidf = new PresencePackage(65_536);
    String etag = null;
    for (int i = 1; i <= CHANGES; i++) {
      long sent = herald.stats().notifiesSent();
      etag =
          publish(
              herald,
              etag,
              600,
              pidf.parse(document("state-" + i).getBytes(StandardCharsets.UTF_8)));
      awaitDelivered(herald, sent);
      Thread.sleep(250);
    }
    assertTrue(flood.isAlive(), "the flood ended before the last change: make it longer");
    // The removal's NOTIFY; the watcher scenario checks it (basic closed), then ends.
    publish(herald, etag, 0, null);
  }

  private static String publish(RunningHerald herald, String etag, int expires, Object document)
      throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    herald
        .herald()
        .presence()
        .publish(
            new PublishRequest(FLOODED, etag, expires, document),
            new PublishReply() {
              @Override
              public void accepted(String tag, int granted) {
                answer.complete(tag);
              }

              @Override
              public void rejected(Rejection rejection) {
                answer.completeExceptionally(new AssertionError("PUBLISH refused: " + rejection));
              }
            });
    return answer.get(10, TimeUnit.SECONDS);
  }

  /** Every watcher got, and answered, the NOTIFY of the change just made. */
  private static void awaitDelivered(RunningHerald herald, long sentBefore) throws Exception {
    awaitTrue(
        "the change reached every watcher",
        WAIT,
        () -> {
          PresenceStats s = herald.stats();
          return s.notifiesSent() >= sentBefore + WATCHERS && s.notifiesInFlight() == 0;
        },
        () -> herald.stats().toString());
  }

  private static String document(String note) {
    return
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:erin@herald.test">
          <tuple id="t-erin"><status><basic>open</basic></status><note>%s</note></tuple>
        </presence>"""
        .formatted(note);
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }

  private static void awaitTrue(
      String what,
      Duration timeout,
      BooleanSupplier condition,
      java.util.function.Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what + ": " + state.get());
      }
      Thread.sleep(20);
    }
  }
}
