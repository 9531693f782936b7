package dev.herald.sip;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: the check runs for every new out-of-dialog request, on the message processor
 * threads, so it reads two counters and nothing else (a queue's size and the application's
 * backlog, both O(1)). It logs a change of state, not every refusal: WARN when refusing starts,
 * INFO with the count when it stops.
 */

/** Decides, per new request, whether Herald is too loaded to take it. Thread-safe. */
final class OverloadGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OverloadGuard.class);

  private final OverloadLimits limits;
  private final LongSupplier queuedDatagrams;
  private final LongSupplier backlog;
  private final AtomicBoolean refusing = new AtomicBoolean();
  private final AtomicLong refused = new AtomicLong();

  OverloadGuard(OverloadLimits limits, LongSupplier queuedDatagrams, LongSupplier backlog) {
    this.limits = limits;
    this.queuedDatagrams = queuedDatagrams;
    this.backlog = backlog;
  }

  /** Why a new request must be refused now, for the reason phrase; null when it may be taken. */
  String refusal() {
    String why = null;
    if (limits.maxQueuedDatagrams() > 0) {
      long queued = queuedDatagrams.getAsLong();
      if (queued > limits.maxQueuedDatagrams()) {
        why = queued + " datagrams waiting to be parsed";
      }
    }
    if (why == null && limits.maxBacklog() > 0) {
      long waiting = backlog.getAsLong();
      if (waiting > limits.maxBacklog()) {
        why = waiting + " tasks waiting";
      }
    }
    if (why != null) {
      refused.incrementAndGet();
      if (refusing.compareAndSet(false, true)) {
        LOG.warn("overloaded ({}): new requests get 503 until the load falls", why);
      }
    } else if (refusing.get() && refusing.compareAndSet(true, false)) {
      LOG.info("load back under the limits: taking new requests again ({} refused)", refused.get());
    }
    return why;
  }

  int retryAfterSeconds() {
    return limits.retryAfterSeconds();
  }

  /** New requests refused for load since start. */
  long refused() {
    return refused.get();
  }
}
