package dev.herald.xmpp;

import java.time.Duration;

/**
 * The one thread the gateway's presence state lives on: tasks run one at a time, in order. An
 * interface so that tests run tasks at once and fire timers by hand, never sleeping.
 */
interface GatewayThread {

  /** Runs {@code task} on the thread, after those before it. */
  void execute(Runnable task);

  /** Runs {@code task} on the thread after {@code delay}, unless cancelled first. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that may still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
