package dev.herald.cucm;

import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.presence.SubscriberDialogs;
import dev.herald.presence.TelephonyDocument;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.RequestResult;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipMessages;
import dev.herald.sip.SipServer;
import dev.herald.sip.dialog.DialogException;
import dev.herald.sip.dialog.SubscriberDialog;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import javax.sip.InvalidArgumentException;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: one Backend per presentity whose phone state lives on a trunk and that has local
 * watchers (or had, within the linger). Everything about a Backend happens on the timer's one
 * thread: watcher counts (from the presence lanes), SUBSCRIBE outcomes (from JAIN-SIP threads)
 * and NOTIFYs (answered on the JAIN-SIP thread, then handed over) all hop to it. So a Backend
 * needs no lock.
 *
 * A Backend has an epoch. Every attempt (a SUBSCRIBE and its dialog) belongs to one epoch; giving
 * the attempt up (failure, terminated, end) increments it, so a late answer or a timer of an
 * abandoned attempt finds a different epoch and does nothing. The linger has an epoch of its own,
 * so that a watcher who comes back cancels it without touching the subscription.
 *
 * The only state shared with other threads is the dialog table (Call-ID and Herald's tag →
 * Backend), which the NOTIFY handler reads to answer 200 or 481 without waiting for this thread.
 * A dialog stays in it a while after the subscription is ended (ENDED_DIALOG_GRACE), so the final
 * NOTIFY that answers Herald's Expires: 0 still gets a 200.
 *
 * Failures never loop hot: every retry waits (bounded exponential backoff with jitter, or the
 * notifier's retry-after), and an immediate re-subscribe (terminated;reason=deactivated or
 * timeout) counts as an attempt, so a notifier that keeps ending the subscription at once is
 * backed off too. The failure count resets only when a NOTIFY brings state.
 */

/**
 * Herald's back-end subscriptions to CUCM (the subscription B2BUA): for a presentity whose phone
 * state comes from a trunk ({@code trunks[].telephony-source}), the first local watcher of its
 * {@code presence} makes Herald send one SUBSCRIBE to a peer of that trunk; every further watcher
 * is served from it. Herald refreshes it at 80% of the Expires CUCM granted, and ends it (Expires:
 * 0) {@code trunks[].subscribe-linger} after the last watcher left. Each NOTIFY CUCM sends in it
 * becomes the user's telephony presence, so every watcher gets a NOTIFY.
 *
 * <p>On failure (no answer, an error response, a dialog CUCM no longer knows, no peer in service)
 * Herald tries again after a backoff (1 s doubling to 5 min, with jitter, or CUCM's Retry-After) on
 * the next peer in service. Watchers keep the last state CUCM sent until it is older than {@link
 * #STATE_MAX_AGE}; then they see a {@code closed} tuple with a note.
 *
 * <p>Any method may be called from any thread; none blocks or throws to the caller.
 */
public final class BackendSubscriptions implements SubscriberDialogs, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackendSubscriptions.class);

  /** The first retry waits about this long; each further one twice as long. */
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);

  /** No retry waits longer than this. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** A state CUCM sent this long ago, with no working subscription since, is shown as closed. */
  public static final Duration STATE_MAX_AGE = Duration.ofMinutes(5);

  /** How long an ended dialog's NOTIFYs are still answered 200: Timer F, 64 × T1. */
  static final Duration ENDED_DIALOG_GRACE = Duration.ofSeconds(32);

  /** The share of the granted Expires after which a subscription is refreshed. */
  static final double REFRESH_AT = 0.8;

  /** 423s answered in a row with a new SUBSCRIBE before it counts as a failure. */
  static final int MAX_TOO_BRIEF = 3;

  /** A Min-Expires above this (a day) is not followed: it counts as a failure. */
  static final int MAX_EXPIRES = 86_400;

  /** At shutdown, how long Herald waits for CUCM to answer its Expires 0 SUBSCRIBEs in all. */
  public static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(2);

  /** How often the counters are logged, when they changed. */
  static final Duration STATS_LOG_PERIOD = Duration.ofMinutes(1);

  static final String EVENT = "presence";
  static final String PIDF = "application/pidf+xml";

  private final Function<String, Optional<Trunk>> sourceOf;
  private final Function<String, Optional<TrunkPeer>> nextInService;
  private final SubscribeSender sender;
  private final PhoneStateSink sink;
  private final MonitorTimer timer;
  private final LongSupplier nanoTime;
  private final LongUnaryOperator jitter;
  private final String subscriber;
  // Touched on the timer thread only.
  private final Map<String, Backend> byPresentity = new HashMap<>();
  private final Map<String, Backend> byDialog = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  // Counters, read from any thread (stats()).
  private final AtomicInteger tracked = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong refreshes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();

  /**
   * @param sourceOf the trunk that is the telephony source of a presentity ({@link
   *     TrunkTelephony#sourceOf})
   * @param nextInService a trunk's next peer in service ({@link TrunkMonitor#nextInService})
   * @param subscriber Herald's identity as From of its SUBSCRIBEs ({@code sip:herald@domain})
   * @param timer runs every task of this class, one at a time
   * @param nanoTime the timer's clock, in nanoseconds
   * @param jitter given a backoff in nanoseconds, the one to wait (production: a random share of it
   *     between a half and the whole)
   */
  public BackendSubscriptions(
      Function<String, Optional<Trunk>> sourceOf,
      Function<String, Optional<TrunkPeer>> nextInService,
      SubscribeSender sender,
      PhoneStateSink sink,
      String subscriber,
      MonitorTimer timer,
      LongSupplier nanoTime,
      LongUnaryOperator jitter) {
    this.sourceOf = Objects.requireNonNull(sourceOf, "sourceOf");
    this.nextInService = Objects.requireNonNull(nextInService, "nextInService");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
  }

  /**
   * Starts the back-end subscriptions of {@code trunks} on one thread named {@code
   * trunk-subscriptions}, sending through {@code sip} as {@code sip:herald@domain}. With no trunk,
   * it starts no thread and never subscribes.
   */
  public static BackendSubscriptions start(
      List<Trunk> trunks,
      TrunkTelephony telephony,
      TrunkMonitor monitor,
      SipServer sip,
      PhoneStateSink sink,
      String domain) {
    MonitorTimer timer;
    if (trunks.isEmpty()) {
      timer =
          new MonitorTimer() {
            @Override
            public void schedule(Runnable task, Duration delay) {
              // No trunk, so no subscription: only close()'s task comes, and runs at once.
              if (delay.isZero()) {
                task.run();
              }
            }

            @Override
            public void shutdown() {}
          };
    } else {
      timer =
          MonitorTimer.of(
              Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread t = new Thread(r, "trunk-subscriptions");
                    t.setDaemon(true);
                    return t;
                  }));
    }
    SubscribeSender sender =
        new SubscribeSender() {
          @Override
          public ListenPoint from(TrunkPeer peer) {
            return SipOptionsPinger.listenPoint(sip.listenPoints(), peer);
          }

          @Override
          public void send(Request request, ListenPoint from, ResponseCallback callback) {
            sip.send(request, from, callback);
          }
        };
    BackendSubscriptions backends =
        new BackendSubscriptions(
            trunks.isEmpty() ? p -> Optional.empty() : telephony::sourceOf,
            monitor::nextInService,
            sender,
            sink,
            "sip:herald@" + domain,
            timer,
            System::nanoTime,
            n -> n / 2 + ThreadLocalRandom.current().nextLong(n / 2 + 1));
    if (!trunks.isEmpty()) {
      backends.logStatsEvery(STATS_LOG_PERIOD);
    }
    return backends;
  }

  /**
   * The number of live local watchers of {@code presentity}'s {@code presence} changed to {@code
   * count}. Presentities whose phone state comes from no trunk are ignored.
   */
  public void watchers(String presentity, int count) {
    if (stopped) {
      return;
    }
    Optional<Trunk> trunk = sourceOf.apply(presentity);
    if (trunk.isEmpty()) {
      return;
    }
    timer.execute(() -> onWatchers(presentity, trunk.get(), count));
  }

  /**
   * Whether a NOTIFY with this Call-ID and To tag belongs to a back-end subscription (or to one
   * ended a moment ago, whose final NOTIFY is still answered 200).
   */
  @Override
  public boolean knows(String callId, String toTag) {
    return toTag != null && byDialog.containsKey(key(callId, toTag));
  }

  /**
   * A NOTIFY in a back-end subscription, already answered 200. The state it brings is handed on;
   * {@code terminated} ends the subscription and, if watchers remain, Herald subscribes again (RFC
   * 6665 §4.1.3: at once for {@code deactivated} and {@code timeout}; after {@code retry-after} or
   * a backoff for {@code probation}, {@code giveup} and any other reason; never for {@code
   * rejected} and {@code noresource}, which also remove the state).
   *
   * @param notify the NOTIFY, to establish the dialog from when it came before the 2xx
   * @param state {@code active}, {@code pending} or {@code terminated}
   * @param document the state, or null when the NOTIFY carries none
   * @param expires the {@code expires} of Subscription-State, or -1
   * @param reason the {@code reason} of a terminated one, or null
   * @param retryAfter its {@code retry-after}, or -1
   */
  @Override
  public void notified(
      Request notify,
      String state,
      TelephonyDocument document,
      int expires,
      String reason,
      int retryAfter) {
    String callId = ((CallIdHeader) notify.getHeader(CallIdHeader.NAME)).getCallId();
    String tag = ((ToHeader) notify.getHeader(ToHeader.NAME)).getTag();
    Backend b = byDialog.get(key(callId, tag));
    if (b == null || stopped) {
      return;
    }
    timer.execute(() -> onNotify(b, notify, state, document, expires, reason, retryAfter));
  }

  /**
   * Stops: every back-end subscription with a dialog is ended with SUBSCRIBE Expires: 0 (RFC 6665
   * §4.1.2.3), the answers are awaited for at most {@link #SHUTDOWN_WAIT} in all, then nothing more
   * is sent. A SUBSCRIBE still unanswered gets its Expires: 0 if its 2xx comes within that wait.
   */
  @Override
  public void close() {
    close(SHUTDOWN_WAIT);
  }

  /** As {@link #close()}, waiting at most {@code wait}. */
  public void close(Duration wait) {
    CompletableFuture<Integer> ended = endAll();
    try {
      int unsubscribed = ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (unsubscribed > 0) {
        LOG.info("back-end subscriptions: {} ended with Expires 0 at shutdown", unsubscribed);
      }
    } catch (TimeoutException e) {
      LOG.warn(
          "back-end subscriptions: not every Expires 0 answered within {} ms; CUCM lets the rest"
              + " expire",
          wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("back-end subscriptions not ended cleanly: {}", e.getCause().toString());
    } finally {
      timer.shutdown();
    }
  }

  /**
   * Stops taking work and sends Expires: 0 in every established back-end dialog; the future
   * completes, with their number, once each of them has been answered (or has failed).
   */
  CompletableFuture<Integer> endAll() {
    stopped = true;
    CompletableFuture<Integer> done = new CompletableFuture<>();
    timer.execute(
        () -> {
          List<Backend> all = List.copyOf(byPresentity.values());
          List<SubscriberDialog> dialogs = new java.util.ArrayList<>();
          for (Backend b : all) {
            if (byPresentity.remove(b.presentity, b)) {
              tracked.decrementAndGet();
            }
            b.epoch++;
            b.ended = true;
            phase(b, Phase.STOPPED);
            if (b.dialog != null && b.dialog.isEstablished()) {
              dialogs.add(b.dialog);
            }
          }
          int count = dialogs.size();
          AtomicInteger unanswered = new AtomicInteger(count);
          Runnable answered =
              () -> {
                if (unanswered.decrementAndGet() == 0) {
                  done.complete(count);
                }
              };
          if (count == 0) {
            done.complete(0);
          }
          for (SubscriberDialog d : dialogs) {
            try {
              sender.send(
                  subscribeRequest(d, 0),
                  d.listenPoint(),
                  result -> {
                    LOG.debug("back-end unsubscribe in {} ended with {}", d, result);
                    answered.run();
                  });
            } catch (RuntimeException e) {
              LOG.debug("back-end unsubscribe in {} not sent: {}", d, e.toString());
              answered.run();
            }
          }
        });
    return done;
  }

  /** A snapshot of the counters; any thread. */
  public BackendStats stats() {
    return new BackendStats(
        tracked.get(), active.get(), refreshes.get(), failures.get(), retries.get());
  }

  /**
   * Logs the counters at INFO every {@code period} when they changed since the line before (a quiet
   * Herald logs nothing).
   */
  void logStatsEvery(Duration period) {
    BackendStats[] last = {null};
    Runnable[] tick = new Runnable[1];
    tick[0] =
        () -> {
          if (stopped) {
            return;
          }
          BackendStats now = stats();
          if (!now.equals(last[0]) && (last[0] != null || !now.equals(BackendStats.NONE))) {
            LOG.info(
                "back-end subscriptions: {} presentities, {} active; since start {} refreshes,"
                    + " {} failures, {} retries",
                now.presentities(),
                now.active(),
                now.refreshes(),
                now.failures(),
                now.retries());
          }
          last[0] = now;
          timer.schedule(tick[0], period);
        };
    timer.schedule(tick[0], period);
  }

  /** The presentities with a back-end subscription (live, being retried, or lingering). */
  int backendCount() {
    return byPresentity.size();
  }

  // ---------------------------------------------------------------- on the timer thread

  private void onWatchers(String presentity, Trunk trunk, int count) {
    if (stopped) {
      return;
    }
    Backend b = byPresentity.get(presentity);
    if (count > 0) {
      if (b == null) {
        Backend fresh = new Backend(presentity, trunk);
        byPresentity.put(presentity, fresh);
        tracked.incrementAndGet();
        fresh.watchers = count;
        subscribe(fresh);
        return;
      }
      // A watcher within the linger: the subscription lives on (a STOPPED one stays stopped).
      b.watchers = count;
      b.lingerEpoch++;
      return;
    }
    if (b == null || b.watchers == 0) {
      return;
    }
    b.watchers = 0;
    long le = ++b.lingerEpoch;
    timer.schedule(() -> lingerOver(b, le), Duration.ofSeconds(b.trunk.subscribeLingerSeconds()));
  }

  private void lingerOver(Backend b, long lingerEpoch) {
    if (b.lingerEpoch != lingerEpoch || b.watchers > 0 || byPresentity.get(b.presentity) != b) {
      return;
    }
    end(b);
  }

  /** Ends the subscription for good: Expires 0 in its dialog, if it has one. */
  private void end(Backend b) {
    if (byPresentity.remove(b.presentity, b)) {
      tracked.decrementAndGet();
    }
    b.epoch++;
    b.ended = true;
    phase(b, Phase.STOPPED);
    SubscriberDialog d = b.dialog;
    if (d != null && d.isEstablished()) {
      sendQuietly(b, d, 0);
      String k = key(d.callId(), d.localTag());
      timer.schedule(() -> byDialog.remove(k, b), ENDED_DIALOG_GRACE);
    } else if (d != null) {
      // A SUBSCRIBE still unanswered: its 2xx, should it come, is answered with Expires 0.
      String k = key(d.callId(), d.localTag());
      timer.schedule(() -> byDialog.remove(k, b), ENDED_DIALOG_GRACE);
    }
    LOG.debug("back-end subscription for {} ended (no watcher left)", b.presentity);
    if (b.hasState || b.stale) {
      // What this subscription stored; an unsolicited NOTIFY's state, if that is all, stays.
      sink.state(b.presentity, null, 0);
    }
  }

  private void subscribe(Backend b) {
    if (stopped) {
      return;
    }
    forgetDialog(b);
    Optional<TrunkPeer> peer = nextInService.apply(b.trunk.name());
    if (peer.isEmpty()) {
      fail(b, "no peer of trunk " + b.trunk.name() + " in service", -1);
      return;
    }
    ListenPoint from = sender.from(peer.get());
    if (from == null) {
      fail(b, "no listen point of " + peer.get().transport() + " to reach " + peer.get(), -1);
      return;
    }
    SubscriberDialog d;
    try {
      d =
          SubscriberDialog.create(
              "<" + subscriber + ">",
              "<" + b.presentity + ">",
              target(b.presentity, peer.get()),
              from);
    } catch (IllegalArgumentException e) {
      fail(b, "cannot address " + b.presentity + " at " + peer.get() + ": " + e.getMessage(), -1);
      return;
    }
    b.dialog = d;
    b.peer = peer.get();
    phase(b, Phase.SUBSCRIBING);
    byDialog.put(key(d.callId(), d.localTag()), b);
    send(b, d, b.expires);
  }

  private void refresh(Backend b, long epoch) {
    if (b.epoch != epoch || b.ended || b.dialog == null) {
      return;
    }
    refreshes.incrementAndGet();
    send(b, b.dialog, b.expires);
  }

  private void send(Backend b, SubscriberDialog d, int expires) {
    long epoch = b.epoch;
    Request request = subscribeRequest(d, expires);
    try {
      sender.send(
          request,
          d.listenPoint(),
          result -> timer.execute(() -> answered(b, d, epoch, expires, result)));
    } catch (RuntimeException e) {
      // The sender promises its callback; one that throws instead counts as not sent.
      fail(b, "could not send SUBSCRIBE: " + e, -1);
    }
  }

  /** A SUBSCRIBE with Expires 0 whose outcome nobody waits for. */
  private void sendQuietly(Backend b, SubscriberDialog d, int expires) {
    try {
      sender.send(
          subscribeRequest(d, expires),
          d.listenPoint(),
          result -> LOG.debug("back-end unsubscribe of {} ended with {}", b.presentity, result));
    } catch (RuntimeException e) {
      LOG.debug("back-end unsubscribe of {} not sent: {}", b.presentity, e.toString());
    }
  }

  private void answered(
      Backend b, SubscriberDialog d, long epoch, int asked, RequestResult result) {
    if (b.epoch != epoch || b.ended || b.dialog != d) {
      if (b.ended && result.isSuccess() && asked > 0 && !d.isEstablished()) {
        // Ended while the SUBSCRIBE was on its way: the subscription it made is ended at once.
        try {
          d.establish(result.response());
          sendQuietly(b, d, 0);
        } catch (DialogException e) {
          LOG.debug("back-end subscription of {}: {}", b.presentity, e.getMessage());
        }
      }
      return;
    }
    if (result.status() == Response.INTERVAL_TOO_BRIEF) {
      int min = minExpires(result.response());
      if (min > asked && min <= MAX_EXPIRES && b.tooBrief < MAX_TOO_BRIEF) {
        // RFC 6665 §4.1.2.1 / RFC 3261 §21.4.17: at once, asking for Min-Expires, in the same
        // dialog (or the same initial transaction's Call-ID and tag), CSeq one up.
        b.tooBrief++;
        b.expires = min;
        retries.incrementAndGet();
        LOG.info(
            "back-end subscription for {}: {} wants at least {} s, asking again with that",
            b.presentity,
            b.peer,
            min);
        send(b, d, min);
        return;
      }
    }
    if (!result.isSuccess()) {
      fail(b, "SUBSCRIBE to " + b.peer + " answered " + describe(result), retryAfter(result));
      return;
    }
    b.tooBrief = 0;
    Response ok = result.response();
    try {
      d.establish(ok);
    } catch (DialogException e) {
      fail(b, "the 2xx from " + b.peer + " makes no dialog: " + e.getMessage(), -1);
      return;
    }
    ExpiresHeader granted = (ExpiresHeader) ok.getHeader(ExpiresHeader.NAME);
    int expires = granted == null ? asked : granted.getExpires();
    if (expires <= 0) {
      fail(b, "the 2xx from " + b.peer + " granted no time (Expires " + expires + ")", -1);
      return;
    }
    if (b.phase != Phase.ACTIVE) {
      LOG.debug("back-end subscription for {} active at {}", b.presentity, b.peer);
    }
    phase(b, Phase.ACTIVE);
    long refreshNanos = (long) (TimeUnit.SECONDS.toNanos(Math.min(expires, asked)) * REFRESH_AT);
    timer.schedule(() -> refresh(b, epoch), Duration.ofNanos(refreshNanos));
  }

  private void onNotify(
      Backend b,
      Request notify,
      String state,
      TelephonyDocument document,
      int expires,
      String reason,
      int retryAfter) {
    SubscriberDialog d = b.dialog;
    if (b.ended || d == null || !d.matches(notify)) {
      // The final NOTIFY of an ended subscription, or one of an attempt given up: answered, no
      // more.
      return;
    }
    try {
      d.establish(notify);
    } catch (DialogException e) {
      LOG.debug("NOTIFY for {} makes no dialog: {}", b.presentity, e.getMessage());
    }
    if (!"terminated".equalsIgnoreCase(state)) {
      if (document != null) {
        int keep = expires > 0 ? expires : b.trunk.subscribeExpiresSeconds();
        sink.state(b.presentity, document, keep);
        b.lastStateNanos = nanoTime.getAsLong();
        b.hasState = true;
        b.stale = false;
        b.failures = 0;
      }
      return;
    }
    String why = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (b.watchers == 0) {
      // Lingering: nobody needs a new subscription.
      b.epoch++;
      forgetDialog(b);
      phase(b, Phase.WAITING);
      return;
    }
    switch (why) {
      case "rejected", "noresource" -> {
        LOG.info(
            "back-end subscription for {} refused by {} ({}): phone state unknown, not retried",
            b.presentity,
            b.peer,
            why);
        b.epoch++;
        forgetDialog(b);
        phase(b, Phase.STOPPED);
        sink.state(b.presentity, null, 0);
      }
      case "deactivated", "timeout" -> {
        if (b.failures == 0) {
          // RFC 6665 §4.1.3: re-subscribe at once; counted, so a repeat waits.
          b.failures++;
          b.epoch++;
          subscribe(b);
        } else {
          fail(b, "terminated by " + b.peer + " (" + why + ")", -1);
        }
      }
      default ->
          fail(
              b,
              "terminated by " + b.peer + " (" + (why.isEmpty() ? "no reason" : why) + ")",
              retryAfter);
    }
  }

  /** Gives the attempt up and tries again after a backoff (or {@code retryAfter} seconds). */
  private void fail(Backend b, String why, int retryAfter) {
    failures.incrementAndGet();
    b.tooBrief = 0;
    b.epoch++;
    forgetDialog(b);
    phase(b, Phase.WAITING);
    b.failures++;
    Duration wait =
        retryAfter > 0 ? Duration.ofSeconds(retryAfter) : Duration.ofNanos(backoff(b.failures));
    LOG.info(
        "back-end subscription for {} failed: {}; next try in {} ms",
        b.presentity,
        why,
        wait.toMillis());
    long epoch = b.epoch;
    timer.schedule(() -> retry(b, epoch), wait);
    if (b.hasState && !b.stale) {
      long age = nanoTime.getAsLong() - b.lastStateNanos;
      Duration untilOld = STATE_MAX_AGE.minusNanos(age);
      timer.schedule(() -> maybeStale(b), untilOld.isNegative() ? Duration.ZERO : untilOld);
    }
  }

  private void retry(Backend b, long epoch) {
    if (b.epoch != epoch || b.ended || stopped) {
      return;
    }
    retries.incrementAndGet();
    subscribe(b);
  }

  private void maybeStale(Backend b) {
    if (b.ended || b.stale || !b.hasState || b.phase == Phase.ACTIVE) {
      return;
    }
    if (nanoTime.getAsLong() - b.lastStateNanos < STATE_MAX_AGE.toNanos()) {
      return;
    }
    b.stale = true;
    b.hasState = false;
    sink.unknown(
        b.presentity,
        "Phone state unknown: no answer from the call manager for "
            + STATE_MAX_AGE.toMinutes()
            + " minutes");
  }

  private void forgetDialog(Backend b) {
    SubscriberDialog d = b.dialog;
    if (d != null) {
      byDialog.remove(key(d.callId(), d.localTag()), b);
      b.dialog = null;
    }
  }

  /** Bounded exponential backoff: 1 s, 2 s, 4 s ... 5 min, each through the jitter. */
  long backoff(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 20);
    long nanos = Math.min(MIN_BACKOFF.toNanos() << doublings, MAX_BACKOFF.toNanos());
    return Math.max(1, jitter.applyAsLong(nanos));
  }

  private Request subscribeRequest(SubscriberDialog d, int expires) {
    Request r = d.newRequest(Request.SUBSCRIBE);
    try {
      r.setHeader(SipMessages.HEADERS.createEventHeader(EVENT));
      r.setHeader(SipMessages.HEADERS.createAcceptHeader("application", "pidf+xml"));
      r.setHeader(SipMessages.HEADERS.createExpiresHeader(expires));
    } catch (ParseException | InvalidArgumentException e) {
      throw new IllegalStateException("cannot build a SUBSCRIBE", e);
    }
    return r;
  }

  /**
   * The Request-URI of the initial SUBSCRIBE: the presentity's user at the peer ({@code
   * sip:alice@192.0.2.10:5060;transport=tcp}, {@code sips:} over TLS).
   */
  static String target(String presentity, TrunkPeer peer) {
    String user = presentity.substring(presentity.indexOf(':') + 1);
    int at = user.lastIndexOf('@');
    user = at < 0 ? "" : user.substring(0, at) + "@";
    String host = peer.host().indexOf(':') >= 0 ? "[" + peer.host() + "]" : peer.host();
    return switch (peer.transport()) {
      case TLS -> "sips:" + user + host + ":" + peer.port();
      case TCP -> "sip:" + user + host + ":" + peer.port() + ";transport=tcp";
      case UDP -> "sip:" + user + host + ":" + peer.port();
    };
  }

  /** Sets the phase, keeping the count of active subscriptions. */
  private void phase(Backend b, Phase next) {
    if (b.phase == Phase.ACTIVE && next != Phase.ACTIVE) {
      active.decrementAndGet();
    } else if (b.phase != Phase.ACTIVE && next == Phase.ACTIVE) {
      active.incrementAndGet();
    }
    b.phase = next;
  }

  /** The Min-Expires of a 423, or -1 when it has none that parses. */
  private static int minExpires(Response r) {
    if (r == null) {
      return -1;
    }
    javax.sip.header.Header h = r.getHeader("Min-Expires");
    if (h instanceof javax.sip.header.MinExpiresHeader m) {
      return m.getExpires();
    }
    if (h == null) {
      return -1;
    }
    String text = h.toString();
    String value = text.substring(text.indexOf(':') + 1).trim();
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int retryAfter(RequestResult result) {
    if (result.response() == null) {
      return -1;
    }
    RetryAfterHeader h = (RetryAfterHeader) result.response().getHeader(RetryAfterHeader.NAME);
    return h == null ? -1 : h.getRetryAfter();
  }

  private static String describe(RequestResult result) {
    return switch (result.kind()) {
      case RESPONSE -> result.status() + " " + result.response().getReasonPhrase();
      case TIMEOUT -> "nothing (transaction timeout)";
      case TRANSPORT_ERROR -> "nothing (could not send)";
    };
  }

  private static String key(String callId, String localTag) {
    return callId + "\n" + localTag;
  }

  /** What a presentity's back-end subscription is doing. */
  enum Phase {
    SUBSCRIBING,
    ACTIVE,
    WAITING,
    STOPPED
  }

  /** One presentity's back-end subscription; touched on the timer thread only. */
  private static final class Backend {
    final String presentity;
    final Trunk trunk;
    int watchers;
    Phase phase = Phase.WAITING;
    SubscriberDialog dialog;
    TrunkPeer peer;
    long epoch;
    long lingerEpoch;
    int failures;
    boolean hasState;
    boolean stale;
    long lastStateNanos;
    boolean ended;
    // The Expires asked for: the trunk's, or the notifier's Min-Expires after a 423.
    int expires;
    // 423s in a row; reset by a 2xx or a failure.
    int tooBrief;

    Backend(String presentity, Trunk trunk) {
      this.presentity = presentity;
      this.trunk = trunk;
      this.expires = trunk.subscribeExpiresSeconds();
    }
  }
}
