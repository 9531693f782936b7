package dev.herald.cucm;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link TrunkMonitor}'s tasks one at a time, now or after a delay. Production code uses
 * one named thread ({@link #of}); tests use a fake that advances time by hand.
 */
public interface MonitorTimer {

  /** Runs {@code task} after {@code delay}, after every task due before it. */
  void schedule(Runnable task, Duration delay);

  /** Runs {@code task} as soon as the tasks already due have run. */
  default void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  /** Stops running tasks; those not run yet are dropped. */
  void shutdown();

  /** A timer on {@code executor}, which must run one task at a time (a single thread). */
  static MonitorTimer of(ScheduledExecutorService executor) {
    return new MonitorTimer() {
      @Override
      public void schedule(Runnable task, Duration delay) {
        try {
          executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          // Shut down: a ping or an answer that comes in while stopping is dropped.
        }
      }

      @Override
      public void shutdown() {
        executor.shutdownNow();
        try {
          executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
