package dev.herald.concurrent;

import java.time.Duration;

/**
 * Runs tasks so that tasks of one key run one at a time, in the order they were submitted, and
 * tasks of different keys may run in parallel. Herald keys by presentity address: everything that
 * changes one presentity is serialized, so its watchers never see an older state after a newer.
 */
public interface KeyedExecutor {

  /** Runs {@code task} after every task submitted earlier for {@code key}. Never blocks. */
  void execute(String key, Runnable task);

  /** Tasks queued and not yet finished, over all keys (an overload signal). */
  long backlog();

  /** Stops taking tasks, lets queued ones finish for at most {@code timeout}. */
  void shutdown(Duration timeout);

  /**
   * {@code lanes} threads; a key always maps to the same lane. A task must not block: it would hold
   * up every key of its lane.
   */
  static KeyedExecutor striped(int lanes, String threadNamePrefix) {
    return new StripedKeyedExecutor(lanes, threadNamePrefix);
  }

  /**
   * Runs tasks on the submitting thread, for tests. A task submitted from inside a running task is
   * queued and run when the outer one returns, so per-key order still holds.
   */
  static KeyedExecutor callerRuns() {
    return new CallerRunsKeyedExecutor();
  }
}
