package dev.herald.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: lanes are single-thread executors and a key is hashed to a lane. That gives
 * per-key order with no per-key bookkeeping, no map to clean up and no lock on the hot path;
 * the cost is that keys sharing a lane wait for each other, which is why tasks must not block.
 * Alternatives (a per-key queue map over a shared pool) cost a map entry and a CAS dance per
 * task; measure before switching (issue: performance).
 */
final class StripedKeyedExecutor implements KeyedExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(StripedKeyedExecutor.class);

  private final ExecutorService[] lanes;
  private final AtomicLong backlog = new AtomicLong();

  StripedKeyedExecutor(int laneCount, String threadNamePrefix) {
    if (laneCount < 1) {
      throw new IllegalArgumentException("lanes must be positive, was " + laneCount);
    }
    lanes = new ExecutorService[laneCount];
    for (int i = 0; i < laneCount; i++) {
      String name = threadNamePrefix + "-" + i;
      lanes[i] =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }
  }

  @Override
  public void execute(String key, Runnable task) {
    int lane = Math.floorMod(spread(key.hashCode()), lanes.length);
    backlog.incrementAndGet();
    try {
      lanes[lane].execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException | Error e) {
              LOG.error("task for {} failed", key, e);
            } finally {
              backlog.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      backlog.decrementAndGet();
      LOG.warn("task for {} rejected: executor is shut down", key);
    }
  }

  /** Strings of one domain hash alike in their low bits; mix them before taking the lane. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  @Override
  public long backlog() {
    return backlog.get();
  }

  @Override
  public void shutdown(Duration timeout) {
    for (ExecutorService lane : lanes) {
      lane.shutdown();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ExecutorService lane : lanes) {
      try {
        lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (ExecutorService lane : lanes) {
      lane.shutdownNow();
    }
  }
}
