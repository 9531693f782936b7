package dev.herald.presence;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.presence.Subscription.Notification;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestResult;
import dev.herald.sip.SipMessages;
import dev.herald.sip.dialog.DialogException;
import dev.herald.sip.dialog.DialogId;
import dev.herald.sip.dialog.SubscriptionDialog;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence engine: the PUBLISH state machine (RFC 3903 §6), subscriptions and their NOTIFYs
 * (RFC 6665 §4.2), composition through the event package, and expiry.
 *
 * <p>Threading: the public methods may be called from any thread; they hop onto the lane of the
 * presentity and do all their work there, so one presentity's changes, compositions and NOTIFYs
 * happen one at a time and in order. NOTIFY outcomes come back on SIP threads and hop to the lane
 * too. Nothing here blocks on I/O except the send itself (UDP, or a TCP write).
 */
public final class PresenceEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceEngine.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RETRY_AFTER = "Retry-After";

  private final PresencePolicy policy;
  private final Predicate<String> registered;
  private final Map<String, EventPackage> packages;
  private final KeyedExecutor lanes;
  private final NotifyTransport transport;
  private final PresenceStore store;
  private final Ticker ticker;
  private final Map<Resource, byte[]> composed = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong notifiesSent = new AtomicLong();
  private final AtomicLong notifiesFailed = new AtomicLong();
  private final AtomicLong openPipelines = new AtomicLong();
  private volatile boolean closing;

  /**
   * @param storeFactory makes the store, given the listener the store must tell of expiry
   */
  public PresenceEngine(
      PresencePolicy policy,
      List<EventPackage> packages,
      KeyedExecutor lanes,
      NotifyTransport transport,
      Function<PresenceStore.ExpiryListener, PresenceStore> storeFactory) {
    this(policy, packages, lanes, transport, storeFactory, address -> false);
  }

  /**
   * @param storeFactory makes the store, given the listener the store must tell of expiry
   * @param registered whether an address has a live registration that counts as presence
   */
  public PresenceEngine(
      PresencePolicy policy,
      List<EventPackage> packages,
      KeyedExecutor lanes,
      NotifyTransport transport,
      Function<PresenceStore.ExpiryListener, PresenceStore> storeFactory,
      Predicate<String> registered) {
    this.registered = registered;
    this.policy = policy;
    Map<String, EventPackage> byName = new java.util.LinkedHashMap<>();
    for (EventPackage p : packages) {
      byName.put(p.name(), p);
    }
    this.packages = Map.copyOf(byName);
    this.lanes = lanes;
    this.transport = transport;
    this.store = storeFactory.apply(new Expirations());
    this.ticker = store.ticker();
  }

  /** The package serving this Event name, or null. */
  public EventPackage eventPackage(String name) {
    return packages.get(name);
  }

  /** The names of the packages served, for Allow-Events. */
  public List<String> eventPackageNames() {
    return List.copyOf(packages.keySet());
  }

  public PresenceStore store() {
    return store;
  }

  public PresenceStats stats() {
    return new PresenceStats(
        store.presentityCount(),
        store.publicationCount(),
        store.subscriptionCount(),
        notifiesSent.get(),
        notifiesFailed.get(),
        lanes.backlog());
  }

  // ---------------------------------------------------------------- PUBLISH (RFC 3903 §6)

  /** Handles a PUBLISH; the reply is called once, on the presentity's lane. */
  public void publish(PublishRequest request, PublishReply reply) {
    if (closing) {
      reply.rejected(shuttingDown());
      return;
    }
    lanes.execute(request.resource().address(), () -> publishOnLane(request, reply));
  }

  private void publishOnLane(PublishRequest req, PublishReply reply) {
    ExpiresPolicy limits = policy.publish();
    Resource resource = req.resource();
    Publication previous = null;
    if (req.ifMatch() != null) {
      previous = store.publication(req.ifMatch());
      // §6 step 3: a tag that is unknown, expired, or another presentity's gets 412.
      if (previous == null
          || !previous.resource().equals(resource)
          || previous.expiresAtNanos() - ticker.read() <= 0) {
        reply.rejected(
            Rejection.of(
                412, "Conditional Request Failed (unknown entity tag " + req.ifMatch() + ")"));
        return;
      }
    } else if (req.document() == null) {
      reply.rejected(Rejection.of(400, "Bad Request (PUBLISH without body or SIP-If-Match)"));
      return;
    }
    Integer asked = req.expires();
    if (asked != null && asked == 0) {
      if (previous == null) {
        reply.rejected(Rejection.of(400, "Bad Request (Expires 0 needs SIP-If-Match)"));
        return;
      }
      // §6 step 4: removal.
      store.removePublication(previous);
      reply.accepted(previous.etag(), 0);
      changed(resource);
      return;
    }
    int expires = asked == null ? limits.defaultExpires() : asked;
    if (expires < limits.minExpires()) {
      reply.rejected(intervalTooBrief(limits));
      return;
    }
    expires = Math.min(expires, limits.maxExpires());
    long deadline = ticker.read() + TimeUnit.SECONDS.toNanos(expires);
    String etag = newEntityTag();
    if (previous != null) {
      store.removePublication(previous);
      Publication next =
          req.document() == null
              ? previous.refreshed(etag, deadline)
              : new Publication(
                  etag, resource, req.document(), sequence.incrementAndGet(), deadline);
      store.putPublication(next);
      reply.accepted(etag, expires);
      if (req.document() != null) {
        changed(resource);
      }
      return;
    }
    Rejection full = checkRoomForPublication(resource);
    if (full != null) {
      reply.rejected(full);
      return;
    }
    store.putPublication(
        new Publication(etag, resource, req.document(), sequence.incrementAndGet(), deadline));
    reply.accepted(etag, expires);
    changed(resource);
  }

  /** A new presentity over {@code presence.max-presentities} gets 503 (never an eviction). */
  private Rejection checkRoomForPresentity(Resource resource) {
    if (!store.contains(resource) && store.presentityCount() >= policy.maxPresentities()) {
      return Rejection.of(503, "Service Unavailable (presentity limit reached)", RETRY_AFTER, "60");
    }
    return null;
  }

  private Rejection checkRoomForPublication(Resource resource) {
    Rejection full = checkRoomForPresentity(resource);
    if (full != null) {
      return full;
    }
    if (store.publications(resource).size() >= policy.maxPublicationsPerPresentity()) {
      return Rejection.of(
          503,
          "Service Unavailable (too many publications for " + resource.address() + ")",
          RETRY_AFTER,
          "60");
    }
    return null;
  }

  private static String newEntityTag() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---------------------------------------------------------------- SUBSCRIBE (RFC 6665 §4.2.1)

  /** Handles a SUBSCRIBE, initial or in a dialog; the reply is called once, on the lane. */
  public void subscribe(SubscribeRequest request, SubscribeReply reply) {
    if (closing) {
      reply.rejected(shuttingDown());
      return;
    }
    String toTag = ((ToHeader) request.request().getHeader(ToHeader.NAME)).getTag();
    if (toTag == null) {
      lanes.execute(request.resource().address(), () -> initialSubscribe(request, reply));
      return;
    }
    Request r = request.request();
    DialogId id =
        new DialogId(
            ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId(),
            toTag,
            ((FromHeader) r.getHeader(FromHeader.NAME)).getTag());
    Subscription known = store.subscription(id);
    if (known == null) {
      reply.rejected(Rejection.of(481, "Subscription Does Not Exist"));
      return;
    }
    lanes.execute(known.resource().address(), () -> refreshSubscribe(id, request, reply));
  }

  private void initialSubscribe(SubscribeRequest req, SubscribeReply reply) {
    if (closing) {
      reply.rejected(shuttingDown());
      return;
    }
    Integer expires = grantedExpires(req.expires(), reply);
    if (expires == null) {
      return;
    }
    Resource resource = req.resource();
    if (expires > 0) {
      Rejection full = checkRoomForPresentity(resource);
      if (full != null) {
        reply.rejected(full);
        return;
      }
      if (store.subscriptions(resource).size() >= policy.maxSubscriptionsPerPresentity()) {
        reply.rejected(
            Rejection.of(
                503,
                "Service Unavailable (too many watchers of " + resource.address() + ")",
                RETRY_AFTER,
                "60"));
        return;
      }
    }
    String localTag = SipMessages.newTag();
    SubscriptionDialog dialog;
    try {
      dialog = SubscriptionDialog.accept(req.request(), req.listenPoint(), localTag);
    } catch (DialogException e) {
      reply.rejected(Rejection.of(400, "Bad Request (" + e.getMessage() + ")"));
      return;
    }
    long deadline = ticker.read() + TimeUnit.SECONDS.toNanos(expires);
    Subscription s = new Subscription(dialog, resource, req.event(), req.contentType(), deadline);
    openPipelines.incrementAndGet();
    reply.accepted(localTag, expires);
    byte[] body = document(resource);
    if (expires == 0) {
      // A fetch (RFC 6665 §4.4.3): the state once, and the subscription ends at once.
      s.terminating = true;
      enqueue(s, new Notification(body, true, "timeout"));
      return;
    }
    store.putSubscription(s);
    enqueue(s, new Notification(body, false, null));
  }

  private void refreshSubscribe(DialogId id, SubscribeRequest req, SubscribeReply reply) {
    Subscription s = store.subscription(id);
    if (s == null || s.terminating) {
      reply.rejected(Rejection.of(481, "Subscription Does Not Exist"));
      return;
    }
    long cseq = ((CSeqHeader) req.request().getHeader(CSeqHeader.NAME)).getSeqNumber();
    if (!s.dialog().acceptRemoteCseq(cseq)) {
      reply.rejected(
          Rejection.of(500, "Server Internal Error (CSeq " + cseq + " is not above the last one)"));
      return;
    }
    if (!sameEvent(s.event(), req.event())) {
      // RFC 6665 §4.1.2.1: a refresh names the same package and id as the subscription.
      reply.rejected(
          Rejection.of(
              481,
              "Subscription Does Not Exist (Event "
                  + req.event()
                  + " differs from "
                  + s.event()
                  + ")"));
      return;
    }
    Integer expires = grantedExpires(req.expires(), reply);
    if (expires == null) {
      return;
    }
    try {
      s.dialog().refreshTarget(req.request());
    } catch (DialogException e) {
      reply.rejected(Rejection.of(400, "Bad Request (" + e.getMessage() + ")"));
      return;
    }
    reply.accepted(id.localTag(), expires);
    if (expires == 0) {
      terminate(s, "timeout");
      return;
    }
    s.expiresAtNanos(ticker.read() + TimeUnit.SECONDS.toNanos(expires));
    store.putSubscription(s);
    // RFC 6665 §4.2.1.2: a successful refresh is followed by a NOTIFY with the full state.
    enqueue(s, new Notification(document(s.resource()), false, null));
  }

  /** The Expires granted, or null after answering 423. Absent means the package default. */
  private Integer grantedExpires(Integer asked, SubscribeReply reply) {
    ExpiresPolicy limits = policy.subscribe();
    int expires = asked == null ? limits.defaultExpires() : asked;
    if (expires != 0 && expires < limits.minExpires()) {
      reply.rejected(intervalTooBrief(limits));
      return null;
    }
    return Math.min(expires, limits.maxExpires());
  }

  /** RFC 3261 §21.4.17 / RFC 3903 §6 step 4: 423 names the minimum in Min-Expires. */
  private static Rejection intervalTooBrief(ExpiresPolicy limits) {
    String min = String.valueOf(limits.minExpires());
    return Rejection.of(423, "Interval Too Brief (minimum " + min + ")", "Min-Expires", min);
  }

  private static boolean sameEvent(String a, String b) {
    return eventKey(a).equals(eventKey(b));
  }

  /** Package and id of an Event value, the parts that identify a subscription (RFC 6665 §8.2.1). */
  static String eventKey(String event) {
    String[] parts = event.split(";");
    String id = "";
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("id")) {
        id = kv[1].trim();
      }
    }
    return parts[0].trim().toLowerCase(java.util.Locale.ROOT) + ";" + id;
  }

  // ---------------------------------------------------------------- state changes and NOTIFY

  /** The resource's state changed: compose, and tell every watcher if the document differs. */
  private void changed(Resource resource) {
    List<Subscription> watchers = store.subscriptions(resource);
    if (watchers.isEmpty()) {
      composed.remove(resource);
      return;
    }
    byte[] before = composed.get(resource);
    byte[] now = compose(resource);
    if (before != null && java.util.Arrays.equals(before, now)) {
      return;
    }
    composed.put(resource, now);
    long nowNanos = ticker.read();
    for (Subscription s : watchers) {
      if (s.expiresAtNanos() - nowNanos <= 0) {
        terminate(s, "timeout");
      } else {
        enqueue(s, new Notification(now, false, null));
      }
    }
  }

  /** The current document of a resource, composed once per change. */
  private byte[] document(Resource resource) {
    byte[] doc = composed.get(resource);
    if (doc == null) {
      doc = compose(resource);
      if (store.contains(resource)) {
        composed.put(resource, doc);
      }
    }
    return doc;
  }

  private byte[] compose(Resource resource) {
    List<Publication> pubs = store.publications(resource);
    List<Object> docs = new ArrayList<>(pubs.size());
    for (Publication p : pubs) {
      docs.add(p.document());
    }
    return packages
        .get(resource.eventPackage())
        .compose(resource.address(), docs, docs.isEmpty() && registered.test(resource.address()))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Ends a subscription with a final NOTIFY (RFC 6665 §4.2.2, Subscription-State terminated). */
  private void terminate(Subscription s, String reason) {
    if (s.terminating) {
      return;
    }
    s.terminating = true;
    store.removeSubscription(s);
    forgetIfIdle(s.resource());
    enqueue(s, new Notification(document(s.resource()), true, reason));
  }

  private void forgetIfIdle(Resource resource) {
    if (!store.contains(resource)) {
      composed.remove(resource);
    }
  }

  private void enqueue(Subscription s, Notification n) {
    if (s.ended) {
      return;
    }
    if (s.inFlight) {
      if (s.pending == null || !s.pending.terminal()) {
        s.pending = n;
      }
      return;
    }
    send(s, n);
  }

  private void send(Subscription s, Notification n) {
    Request notify;
    try {
      notify = buildNotify(s, n);
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      LOG.error("cannot build NOTIFY for {}", s, e);
      end(s);
      return;
    }
    s.inFlight = true;
    notifiesSent.incrementAndGet();
    String lane = s.resource().address();
    transport.send(
        notify,
        s.dialog().listenPoint(),
        result -> lanes.execute(lane, () -> notifyCompleted(s, n, result)));
  }

  private Request buildNotify(Subscription s, Notification n)
      throws ParseException, javax.sip.InvalidArgumentException {
    Request notify = s.dialog().newRequest(Request.NOTIFY);
    EventHeader event = SipMessages.HEADERS.createEventHeader(s.resource().eventPackage());
    if (!s.eventId().isEmpty()) {
      event.setEventId(s.eventId());
    }
    notify.setHeader(event);
    SubscriptionStateHeader state;
    if (n.terminal()) {
      state = SipMessages.HEADERS.createSubscriptionStateHeader(SubscriptionStateHeader.TERMINATED);
      state.setReasonCode(n.reason());
    } else {
      state = SipMessages.HEADERS.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
      long left =
          TimeUnit.NANOSECONDS.toSeconds(
              s.expiresAtNanos() - ticker.read() + TimeUnit.MILLISECONDS.toNanos(999));
      state.setExpires((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
    }
    notify.setHeader(state);
    String[] type = s.contentType().split("/", 2);
    ContentTypeHeader ct = SipMessages.HEADERS.createContentTypeHeader(type[0], type[1]);
    notify.setContent(n.body(), ct);
    return notify;
  }

  private void notifyCompleted(Subscription s, Notification n, RequestResult result) {
    s.inFlight = false;
    if (!result.isSuccess()) {
      notifiesFailed.incrementAndGet();
      boolean keep =
          result.status() == 408
              && policy.notifyTimeout() == NotifyTimeoutAction.KEEP
              && !n.terminal();
      if (!keep) {
        // RFC 6665 §4.2.2: an error response (or, by policy, a timeout) ends the subscription.
        LOG.debug("NOTIFY for {} failed with {}: subscription ended", s, result);
        s.terminating = true;
        store.removeSubscription(s);
        forgetIfIdle(s.resource());
        end(s);
        return;
      }
    }
    if (n.terminal()) {
      end(s);
      return;
    }
    Notification next = s.pending;
    s.pending = null;
    if (next != null) {
      send(s, next);
    }
  }

  private void end(Subscription s) {
    if (!s.ended) {
      s.ended = true;
      s.pending = null;
      openPipelines.decrementAndGet();
    }
  }

  /**
   * A presentity's registration started or ended: its presence documents may change when
   * registration counts as presence. Runs on the presentity's lane.
   */
  public void registrationChanged(String address) {
    lanes.execute(
        address,
        () -> {
          for (EventPackage p : packages.values()) {
            changed(new Resource(address, p.name()));
          }
        });
  }

  // ---------------------------------------------------------------- expiry and shutdown

  private final class Expirations implements PresenceStore.ExpiryListener {
    @Override
    public void publicationExpired(Publication p) {
      lanes.execute(
          p.resource().address(),
          () -> {
            store.removePublication(p);
            changed(p.resource());
          });
    }

    @Override
    public void subscriptionExpired(Subscription s) {
      lanes.execute(
          s.resource().address(),
          () -> {
            // A refresh that raced the eviction has moved the deadline: the subscription lives on.
            if (s.expiresAtNanos() - ticker.read() <= 0) {
              terminate(s, "timeout");
            }
          });
    }
  }

  /**
   * Stops taking requests, ends every subscription with a NOTIFY {@code
   * terminated;reason=deactivated} (RFC 6665 §4.1.3: the watcher re-subscribes at once, elsewhere
   * or later), and waits up to {@code timeout} for those NOTIFYs to be answered.
   *
   * @return true when every final NOTIFY was answered in time
   */
  public boolean shutdown(Duration timeout) {
    closing = true;
    for (Resource r : store.resources()) {
      lanes.execute(
          r.address(),
          () -> {
            for (Subscription s : store.subscriptions(r)) {
              terminate(s, "deactivated");
            }
          });
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (openPipelines.get() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long left = openPipelines.get();
    if (left > 0) {
      LOG.warn("{} final NOTIFYs still unanswered at shutdown", left);
    }
    return left == 0;
  }

  private static Rejection shuttingDown() {
    return Rejection.of(503, "Service Unavailable (shutting down)", RETRY_AFTER, "5");
  }
}
