package dev.herald.sip;

import dev.herald.sip.internal.StatelessRefusal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: the check runs for every new out-of-dialog request, on the message processor
 * threads, so it reads two counters and nothing else (the requests in the UDP intake queues and the
 * application's backlog, both O(1)). Responses in those queues are not counted: each completes work
 * already in flight, and under fan-out they outnumber requests five to one, so counting them
 * refused PUBLISHes because of the NOTIFY answers that would free Herald (issue 7). It logs a change of state, not every refusal: WARN when refusing starts,
 * INFO with the count when it stops. Under a flood the queue hovers around its limit and the
 * state would flip many times a second (FloodIT showed hundreds of WARN/INFO pairs in a few
 * seconds), so an episode ends only once a request is taken after a whole second without a
 * refusal: one WARN and one INFO per episode.
 */

/** Decides, per new request, whether Herald is too loaded to take it. Thread-safe. */
final class OverloadGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OverloadGuard.class);

  /** How long without a refusal ends an episode of overload, in nanoseconds. */
  static final long CALM_NANOS = 1_000_000_000L;

  private final OverloadLimits limits;
  private final LongSupplier queuedRequests;
  private final LongSupplier backlog;
  private final LongSupplier clock;
  private final AtomicBoolean refusing = new AtomicBoolean();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong episodes = new AtomicLong();
  private final AtomicLong refusedAtIntake = new AtomicLong();
  private volatile long lastRefusal;

  OverloadGuard(OverloadLimits limits, LongSupplier queuedRequests, LongSupplier backlog) {
    this(limits, queuedRequests, backlog, System::nanoTime);
  }

  /**
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  OverloadGuard(
      OverloadLimits limits,
      LongSupplier queuedRequests,
      LongSupplier backlog,
      LongSupplier clock) {
    this.limits = limits;
    this.queuedRequests = queuedRequests;
    this.backlog = backlog;
    this.clock = clock;
  }

  /**
   * Whether a new request would be refused now; no refusal is counted. Cheap enough to ask about
   * every datagram before reading it.
   */
  boolean overloaded() {
    return (limits.maxQueuedDatagrams() > 0
            && queuedRequests.getAsLong() > limits.maxQueuedDatagrams())
        || (limits.maxBacklog() > 0 && backlog.getAsLong() > limits.maxBacklog());
  }

  /** Why a new request must be refused now, for the reason phrase; null when it may be taken. */
  String refusal() {
    String why = null;
    if (limits.maxQueuedDatagrams() > 0) {
      long queued = queuedRequests.getAsLong();
      if (queued > limits.maxQueuedDatagrams()) {
        why = queued + " requests waiting to be parsed";
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
      lastRefusal = clock.getAsLong();
      if (refusing.compareAndSet(false, true)) {
        episodes.incrementAndGet();
        LOG.warn("overloaded ({}): new requests get 503 until the load falls", why);
      }
    } else if (refusing.get()
        && clock.getAsLong() - lastRefusal >= CALM_NANOS
        && refusing.compareAndSet(true, false)) {
      LOG.info(
          "load back under the limits: taking new requests again ({} refused, {} of them on the"
              + " UDP receive thread before parsing)",
          refused.get(),
          refusedAtIntake.get());
    }
    return why;
  }

  /** The 503's reason phrase for a refusal's why, on either path. */
  static String reasonPhrase(String why) {
    return "Service Unavailable (overloaded: " + why + ")";
  }

  int retryAfterSeconds() {
    return limits.retryAfterSeconds();
  }

  /**
   * The 503 to a request datagram while overloaded, made from its bytes on the UDP receive thread
   * ({@link StatelessRefusal}); null when Herald is not overloaded or the datagram is not a new
   * out-of-dialog request it can read with certainty (the full path then handles it).
   */
  java.net.DatagramPacket intakeRefusal(
      byte[] data, int offset, int length, java.net.InetAddress from, int port, String product) {
    if (!overloaded()) {
      return null;
    }
    StatelessRefusal request = StatelessRefusal.read(data, offset, length);
    if (request == null) {
      return null;
    }
    String why = refusal();
    if (why == null) {
      return null;
    }
    refusedAtIntake.incrementAndGet();
    return request.refusal(from, port, reasonPhrase(why), retryAfterSeconds(), product);
  }

  /** Requests refused on the UDP receive thread, before being queued or parsed, since start. */
  long refusedAtIntake() {
    return refusedAtIntake.get();
  }

  /** New requests refused for load since start. */
  long refused() {
    return refused.get();
  }

  /** Episodes of overload since start: each logged once when it begins and once when it ends. */
  long episodes() {
    return episodes.get();
  }
}
