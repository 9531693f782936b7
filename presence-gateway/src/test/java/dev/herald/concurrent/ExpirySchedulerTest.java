package dev.herald.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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

  /**
   * The IM router's timers (BENCHMARKS.md, IM gateway): every task runs on the scheduler's one
   * thread, not on a new thread each as CompletableFuture.delayedExecutor does on 2 cores, where
   * the common pool has parallelism 1.
   */
  @Test
  void scheduledTasksRunOnTheOneNamedThread() throws Exception {
    try (ExpiryScheduler s = ExpiryScheduler.start("im-timers-test")) {
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch ran = new CountDownLatch(50);
      for (int i = 0; i < 50; i++) {
        s.schedule(
            Duration.ZERO,
            () -> {
              threads.add(Thread.currentThread());
              ran.countDown();
            });
      }
      assertTrue(ran.await(10, TimeUnit.SECONDS), "every task ran");
      assertEquals(1, threads.size(), "one thread for all of them: " + threads);
      assertEquals("im-timers-test", threads.iterator().next().getName());
    }
  }
}
