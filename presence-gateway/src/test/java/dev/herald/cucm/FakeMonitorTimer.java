package dev.herald.cucm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link MonitorTimer} whose time moves only when a test says so; tasks due at the same time run
 * in the order they were scheduled, as with a ScheduledThreadPoolExecutor.
 */
final class FakeMonitorTimer implements MonitorTimer {
  private record Task(long due, long order, Runnable task) {}

  private final List<Task> tasks = new ArrayList<>();
  private long now;
  private long order;
  private boolean shutdown;

  @Override
  public void schedule(Runnable task, Duration delay) {
    if (!shutdown) {
      tasks.add(new Task(now + delay.toNanos(), order++, task));
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    tasks.clear();
  }

  /** Runs every task due now, including those they schedule for now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves time forward, running each task when its time comes. */
  void advance(Duration by) {
    long until = now + by.toNanos();
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> t.due() <= until)
              .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = Math.max(now, next.due());
      next.task().run();
    }
    now = until;
  }

  /** The fake clock, in nanoseconds. */
  long nanos() {
    return now;
  }

  boolean isShutdown() {
    return shutdown;
  }
}
