package dev.herald.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The soak's growing heap (BENCHMARKS.md, "Soak"): a Caffeine wake-up that is cancelled must leave
 * the queue at once, not stay until its time, a day away for a long publication.
 */
class ExpirySchedulerTest {

  @Test
  void aCancelledWakeUpLeavesTheQueueAtOnce() {
    try (ExpiryScheduler s = ExpiryScheduler.start("expiry-test")) {
      Future<?> far = s.caffeine().schedule(Runnable::run, () -> {}, 1, TimeUnit.DAYS);
      Future<?> near = s.caffeine().schedule(Runnable::run, () -> {}, 1, TimeUnit.HOURS);
      assertEquals(2, s.pending());

      far.cancel(false);

      assertEquals(1, s.pending(), "the cancelled wake-up is gone, the other one waits");
      near.cancel(false);
      assertEquals(0, s.pending());
    }
  }
}
