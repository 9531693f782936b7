package dev.herald.xmpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs tasks at once on the caller's thread; scheduled tasks wait for {@link #fireAll}. */
final class ManualThread implements GatewayThread {
  private final List<Runnable> scheduled = new ArrayList<>();

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    scheduled.add(task);
    return () -> scheduled.remove(task);
  }

  int scheduledCount() {
    return scheduled.size();
  }

  void fireAll() {
    List<Runnable> due = List.copyOf(scheduled);
    scheduled.clear();
    due.forEach(Runnable::run);
  }
}
