package dev.herald.concurrent;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/*
 * Design note (found by scripts/bench/soak). Caffeine's Scheduler.systemScheduler() runs each
 * wake-up through CompletableFuture.delayedExecutor; when the cache moves its next wake-up
 * earlier it cancels the CompletableFuture, but the JDK's delayed task stays queued until its
 * original time, holding the cancelled future and its CancellationException. Herald's caches
 * wake up for expiries as far as presence.publish.max-expires ahead (a day by default), so under
 * churn the queue held one such task per reschedule for up to a day: the soak's heap after GC
 * grew with every minute of churn. Scheduler.forScheduledExecutorService hands Caffeine the
 * ScheduledFuture itself, and with the remove-on-cancel policy a cancelled wake-up leaves the
 * queue at once.
 */

/**
 * The wake-up thread of Herald's Caffeine caches (presence store, registrar), or of short timers
 * ({@link #schedule}: the IM router's error waits): one daemon thread; a wake-up the cache no
 * longer needs is dropped when it is cancelled, not kept until due.
 */
public final class ExpiryScheduler implements AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;
  private final Scheduler scheduler;

  private ExpiryScheduler(String threadName) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setKeepAliveTime(1, TimeUnit.MINUTES);
    scheduler = Scheduler.forScheduledExecutorService(executor);
  }

  /** Starts the thread, named {@code threadName}. */
  public static ExpiryScheduler start(String threadName) {
    return new ExpiryScheduler(threadName);
  }

  /** For {@code Caffeine.scheduler(...)}. */
  public Scheduler caffeine() {
    return scheduler;
  }

  /**
   * Runs {@code task} on this scheduler's thread after {@code delay}; it must be short and must not
   * block. A task that throws is logged by the caller's wrapper, not here: the executor would keep
   * the exception in a future nobody reads, so callers pass tasks that catch their own.
   */
  public void schedule(Duration delay, Runnable task) {
    executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Wake-ups waiting now, cancelled ones excluded (they are removed). */
  public int pending() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
