package dev.herald.im.routing;

import java.time.Duration;

/** Runs a task after a delay (a port, so that tests fire timers by hand and never sleep). */
@FunctionalInterface
public interface Timers {
  void schedule(Duration delay, Runnable task);
}
