package dev.herald.concurrent;

import java.time.Duration;
import java.util.ArrayDeque;

/** Same-thread execution with a trampoline, so nested submissions keep per-key order. */
final class CallerRunsKeyedExecutor implements KeyedExecutor {
  private final ThreadLocal<ArrayDeque<Runnable>> pending = new ThreadLocal<>();

  @Override
  public void execute(String key, Runnable task) {
    ArrayDeque<Runnable> queue = pending.get();
    if (queue != null) {
      queue.add(task);
      return;
    }
    queue = new ArrayDeque<>();
    pending.set(queue);
    try {
      Runnable next = task;
      while (next != null) {
        next.run();
        next = queue.poll();
      }
    } finally {
      pending.remove();
    }
  }

  @Override
  public long backlog() {
    return 0;
  }

  @Override
  public void shutdown(Duration timeout) {}
}
