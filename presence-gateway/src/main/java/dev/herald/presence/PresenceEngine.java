package dev.herald.presence;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import dev.herald.presence.Subscription.Access;
import dev.herald.presence.Subscription.Body;
import dev.herald.presence.Subscription.Notification;
import dev.herald.presence.Subscription.State;
import dev.herald.presence.auth.PresenceAuthorization;
import dev.herald.presence.auth.WatcherRules;
import dev.herald.presence.winfo.WatcherList;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestResult;
import dev.herald.sip.SipMessages;
import dev.herald.sip.dialog.DialogException;
import dev.herald.sip.dialog.DialogId;
import dev.herald.sip.dialog.NotifyRequest;
import dev.herald.sip.dialog.SubscriptionDialog;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence engine: the PUBLISH state machine (RFC 3903 §6), subscriptions and their NOTIFYs
 * (RFC 6665 §4.2), authorization of watchers (RFC 3856 §6.6.2: allowed, pending, politely blocked),
 * watcher information (RFC 3857), composition through the event package, and expiry.
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
  // What never expires by itself (a remote watcher, a gateway's state) lasts this long: ten years.
  private static final int REMOTE_SECONDS = 10 * 365 * 24 * 3600;

  private final PresencePolicy policy;
  private final Predicate<String> registered;
  private final WatcherRules rules;
  private final Map<String, EventPackage> packages;
  // presence and the packages derived from it: whose watchers need CUCM's phone state
  private final List<String> phoneStatePackages;
  private final List<String> packageOrder;
  private final Map<String, WatcherInfoPackage> watcherInfoOf;
  private final Map<Resource, List<String>> pendingWatchers = new ConcurrentHashMap<>();
  private final PresenceAuthorization authorization = new Authorization();
  private final KeyedExecutor lanes;
  private final NotifyTransport transport;
  private final PresenceStore store;
  private final Ticker ticker;
  private final Map<Resource, byte[]> composed = new ConcurrentHashMap<>();
  // The last document sent to Cisco clients of each resource, to compare the next against.
  private final Map<Resource, byte[]> composedForCisco = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  // The entity tag of each presentity's state from unsolicited NOTIFYs; touched on its lane only.
  private final Map<Resource, String> telephonyTags = new ConcurrentHashMap<>();
  // Likewise of each presentity's state from a gateway (an XMPP user's presence).
  private final Map<Resource, String> gatewayTags = new ConcurrentHashMap<>();
  private final AtomicLong notifiesSent = new AtomicLong();
  private final AtomicLong notifiesFailed = new AtomicLong();
  private final AtomicLong notifiesInFlight = new AtomicLong();
  private final AtomicLong notifiesSuperseded = new AtomicLong();
  private final AtomicLong openPipelines = new AtomicLong();
  private volatile boolean closing;
  private volatile BiConsumer<String, Integer> watcherCounts = (presentity, count) -> {};

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
    this(
        policy,
        packages,
        lanes,
        transport,
        storeFactory,
        registered,
        WatcherRules.of(policy.authorization(), address -> PresenceLists.NONE));
  }

  /**
   * @param storeFactory makes the store, given the listener the store must tell of expiry
   * @param registered whether an address has a live registration that counts as presence
   * @param rules decides what each new watcher of a state package may see; they also keep the
   *     decisions made through {@link #authorization()}
   * @throws IllegalArgumentException if a watcher-info package watches a package not served
   */
  public PresenceEngine(
      PresencePolicy policy,
      List<EventPackage> packages,
      KeyedExecutor lanes,
      NotifyTransport transport,
      Function<PresenceStore.ExpiryListener, PresenceStore> storeFactory,
      Predicate<String> registered,
      WatcherRules rules) {
    this.registered = registered;
    this.policy = policy;
    this.rules = rules;
    Map<String, EventPackage> byName = new java.util.LinkedHashMap<>();
    Map<String, WatcherInfoPackage> winfo = new java.util.HashMap<>();
    for (EventPackage p : packages) {
      byName.put(p.name(), p);
      if (p instanceof WatcherInfoPackage w) {
        winfo.put(w.watched(), w);
      }
    }
    for (String watched : winfo.keySet()) {
      if (!(byName.get(watched) instanceof StatePackage)) {
        throw new IllegalArgumentException(
            "watcher info of " + watched + ", which is not a state package served here");
      }
    }
    this.packages = Map.copyOf(byName);
    this.packageOrder = List.copyOf(byName.keySet());
    this.watcherInfoOf = Map.copyOf(winfo);
    List<String> phoneState = new ArrayList<>();
    phoneState.add(PresencePackage.NAME);
    for (StatePackage p : dependentsOf(PresencePackage.NAME)) {
      phoneState.add(p.name());
    }
    this.phoneStatePackages = List.copyOf(phoneState);
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
    return packageOrder;
  }

  /** The names of the packages a presentity may PUBLISH to, for Allow-Events in answer to one. */
  public List<String> publishablePackageNames() {
    List<String> names = new ArrayList<>();
    for (String name : packageOrder) {
      if (packages.get(name) instanceof StatePackage) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Allowing and denying watchers, and who waits for a decision: the decisions apply on the
   * presentity's lane, to its current subscriptions and to later ones.
   */
  /**
   * Tells {@code counts} the number of live subscriptions to a presentity's {@code presence} and to
   * the packages derived from it ({@code dialog}: a BLF lamp needs the phone state too) whenever it
   * may have changed (it may be told the same number twice), on the presentity's lane: the back-end
   * subscriptions to CUCM follow it. It must not block. Set it before requests come.
   */
  public void observeWatchers(BiConsumer<String, Integer> counts) {
    this.watcherCounts = java.util.Objects.requireNonNull(counts, "counts");
  }

  public PresenceAuthorization authorization() {
    return authorization;
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
        lanes.backlog(),
        notifiesInFlight.get(),
        notifiesSuperseded.get());
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
        packagePublished(resource, req.document());
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
    packagePublished(resource, req.document());
    changed(resource);
  }

  /**
   * A trunk's unsolicited NOTIFY of telephony presence (CUCM): it has no entity tag, so the latest
   * one of a presentity replaces the one before. {@code document} null (or {@code expires} 0)
   * removes it. The reply is called once, on the presentity's lane; its entity tag is Herald's own.
   *
   * @param expires seconds the state stays, shortened to {@code presence.publish.max-expires}
   */
  public void telephonyNotify(
      Resource resource, TelephonyDocument document, int expires, PublishReply reply) {
    if (closing) {
      reply.rejected(shuttingDown());
      return;
    }
    lanes.execute(
        resource.address(), () -> telephonyNotifyOnLane(resource, document, expires, reply));
  }

  private void telephonyNotifyOnLane(
      Resource resource, TelephonyDocument document, int expires, PublishReply reply) {
    replaceOwnState(
        telephonyTags,
        resource,
        document,
        document == null ? 0 : Math.min(expires, policy.publish().maxExpires()),
        reply);
  }

  /**
   * Replaces the publication of {@code resource} that {@code tags} remember (a trunk's, a
   * gateway's) with {@code document} for {@code seconds}; null or 0 removes it.
   */
  private void replaceOwnState(
      Map<Resource, String> tags,
      Resource resource,
      Object document,
      int seconds,
      PublishReply reply) {
    String etag = tags.get(resource);
    Publication previous = etag == null ? null : store.publication(etag);
    if (previous != null && !previous.resource().equals(resource)) {
      previous = null;
    }
    if (document == null || seconds <= 0) {
      tags.remove(resource);
      if (previous != null) {
        store.removePublication(previous);
        changed(resource);
      }
      reply.accepted(etag == null ? "" : etag, 0);
      return;
    }
    if (previous == null) {
      Rejection full = checkRoomForPublication(resource);
      if (full != null) {
        reply.rejected(full);
        return;
      }
    } else {
      store.removePublication(previous);
    }
    String next = newEntityTag();
    store.putPublication(
        new Publication(
            next,
            resource,
            document,
            sequence.incrementAndGet(),
            ticker.read() + TimeUnit.SECONDS.toNanos(seconds)));
    tags.put(resource, next);
    reply.accepted(next, seconds);
    changed(resource);
  }

  /** Tells the resource's package of a document just published (see StatePackage#published). */
  private void packagePublished(Resource resource, Object document) {
    if (packages.get(resource.eventPackage()) instanceof StatePackage p) {
      p.published(resource.address(), document);
    }
  }

  // ---------------------------------------------------------------- presence across a gateway

  /**
   * The state a gateway learnt for a presentity that lives on the other side (an XMPP user, RFC
   * 8048 §6.2): a parsed document of the package ({@code PidfDocument} for {@code presence}) that
   * replaces the one before, as a publication of its own beside any other; null removes it. It
   * lasts until replaced or removed: the gateway owns its lifetime. The reply is called once, on
   * the presentity's lane.
   */
  public void gatewayState(Resource resource, Object document, PublishReply reply) {
    if (closing) {
      reply.rejected(shuttingDown());
      return;
    }
    lanes.execute(
        resource.address(),
        () ->
            replaceOwnState(
                gatewayTags, resource, document, document == null ? 0 : REMOTE_SECONDS, reply));
  }

  /**
   * Makes {@code sink} a watcher of the {@code presence} of {@code presentity} as {@code watcher}
   * (the address the rules know it by, {@code sip:user@host}), under the same authorization as a
   * SIP watcher; it gets its first view at once (pending, the state, or the polite-block document).
   * Watching again is a refresh: the current view once more. It does not expire; {@link #unwatch}
   * ends it. Over a limit, the sink gets {@link RemoteWatcher.Status#REFUSED}.
   */
  public void watch(String presentity, String watcher, RemoteWatcher sink) {
    Resource resource = new Resource(presentity, PresencePackage.NAME);
    if (closing) {
      sink.update(new RemoteWatcher.View(RemoteWatcher.Status.REFUSED, null, "shutting down"));
      return;
    }
    lanes.execute(presentity, () -> watchOnLane(resource, watcher, sink, false));
  }

  /** Ends what {@link #watch} made; the sink's last view says TERMINATED. Unknown: nothing. */
  public void unwatch(String presentity, String watcher) {
    Resource resource = new Resource(presentity, PresencePackage.NAME);
    lanes.execute(
        presentity,
        () -> {
          Subscription s = store.subscription(Subscription.remoteId(resource, watcher));
          if (s != null) {
            terminate(s, "timeout");
          }
        });
  }

  /**
   * Answers a remote watcher's probe (RFC 6121 §4.3): the current view of a watcher {@link #watch}
   * made. A watcher not known here whom the rules allow is watched from now on, for only an entity
   * whose roster holds a subscription is probed for (RFC 6121 §4.3.2), so this restores the
   * watchers a restart forgot; any other gets the polite-block document once (closed: it learns
   * nothing).
   */
  public void probe(String presentity, String watcher, RemoteWatcher sink) {
    Resource resource = new Resource(presentity, PresencePackage.NAME);
    if (closing) {
      sink.update(new RemoteWatcher.View(RemoteWatcher.Status.REFUSED, null, "shutting down"));
      return;
    }
    lanes.execute(presentity, () -> watchOnLane(resource, watcher, sink, true));
  }

  private void watchOnLane(Resource resource, String watcher, RemoteWatcher sink, boolean probe) {
    Subscription known = store.subscription(Subscription.remoteId(resource, watcher));
    if (known != null && !known.terminating) {
      enqueue(known, fullState(known));
      return;
    }
    Access access = access(rules.decide(resource.address(), watcher));
    if (probe && access != Access.ALLOWED) {
      sink.update(
          new RemoteWatcher.View(
              RemoteWatcher.Status.BLOCKED, politeBlock(resource).bytes(null), null));
      return;
    }
    Rejection full = checkRoomForPresentity(resource);
    if (full == null
        && store.subscriptionCount(resource) >= policy.maxSubscriptionsPerPresentity()) {
      full = Rejection.of(503, "too many watchers of " + resource.address());
    }
    if (full != null) {
      sink.update(new RemoteWatcher.View(RemoteWatcher.Status.REFUSED, null, full.reason()));
      return;
    }
    Subscription s =
        Subscription.remote(
            sink,
            resource,
            PresencePackage.PIDF,
            ticker.read() + TimeUnit.SECONDS.toNanos(REMOTE_SECONDS),
            watcher,
            newWatcherId());
    s.access = access;
    openPipelines.incrementAndGet();
    store.putSubscription(s);
    enqueue(s, fullState(s));
    watchersChanged(resource, null);
  }

  /*
   * Limits (README "Limits"). RFC 3903 and RFC 6665 name no response for them. The per-presentity
   * ones (and the store's size) are a shared room that frees itself as publications and
   * subscriptions end, which the sender cannot influence: 503 with Retry-After (RFC 3261
   * §21.5.4), never an eviction of someone else's state. The per-watcher one is the sender's own
   * quota, which waiting does not cure: 403 (RFC 3261 §21.4.4, "SHOULD NOT be repeated"), so no
   * client retries it in a loop and no proxy or trunk takes it for an overloaded server. Each
   * reason phrase names the config key.
   */

  /** A new presentity over {@code presence.max-presentities} gets 503 (never an eviction). */
  private Rejection checkRoomForPresentity(Resource resource) {
    if (!store.contains(resource) && store.presentityCount() >= policy.maxPresentities()) {
      return limitReached(
          policy.maxPresentities() + " presentities held, the limit of presence.max-presentities");
    }
    return null;
  }

  /**
   * Null when {@code watcher} may hold one more subscription, else 403 naming {@code
   * presence.max-subscriptions-per-watcher}. The SUBSCRIBE handler asks it before an initial
   * SUBSCRIBE reaches its lane and skips it for trusted peers (trunks act for many users). One
   * watcher's SUBSCRIBEs to different presentities run on different lanes, so a burst of them may
   * pass together: the count can exceed the limit by the number in flight at that moment.
   */
  public Rejection checkWatcherLimit(String watcher) {
    int held = store.subscriptionsOf(watcher);
    if (held >= policy.maxSubscriptionsPerWatcher()) {
      LOG.debug("SUBSCRIBE from {} refused: {} subscriptions held", watcher, held);
      return Rejection.of(
          403,
          "Forbidden ("
              + watcher
              + " holds "
              + held
              + " subscriptions, the limit of presence.max-subscriptions-per-watcher)");
    }
    return null;
  }

  private static Rejection limitReached(String what) {
    LOG.debug("request refused: {}", what);
    return Rejection.of(503, "Service Unavailable (" + what + ")", RETRY_AFTER, "60");
  }

  private Rejection checkRoomForPublication(Resource resource) {
    Rejection full = checkRoomForPresentity(resource);
    if (full != null) {
      return full;
    }
    if (store.publications(resource).size() >= policy.maxPublicationsPerPresentity()) {
      return limitReached(
          resource.address()
              + " has "
              + policy.maxPublicationsPerPresentity()
              + " publications, the limit of presence.max-publications-per-presentity");
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
    if (known == null || known.remote() != null) {
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
      if (store.subscriptionCount(resource) >= policy.maxSubscriptionsPerPresentity()) {
        reply.rejected(
            limitReached(
                resource.address()
                    + " has "
                    + policy.maxSubscriptionsPerPresentity()
                    + " watchers, the limit of presence.max-subscriptions-per-presentity"));
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
    Subscription s =
        new Subscription(
            dialog,
            resource,
            req.event(),
            req.contentType(),
            deadline,
            req.watcher(),
            newWatcherId());
    s.ciscoClient = req.ciscoClient();
    boolean watched = packages.get(resource.eventPackage()) instanceof StatePackage;
    if (watched) {
      s.access = access(rules.decide(resource.address(), req.watcher()));
    }
    openPipelines.incrementAndGet();
    // RFC 6665 §4.2.1.1: 200 whether the subscription is active or pending; a blocked watcher
    // gets the same answer as an allowed one.
    reply.accepted(localTag, expires);
    if (expires == 0) {
      // A fetch (RFC 6665 §4.4.3): the state once, and the subscription ends at once. A watcher
      // still to be decided on cannot wait for the decision: giveup (RFC 6665 §4.2.2).
      s.terminating = true;
      enqueue(s, finalState(s, s.access == Access.PENDING ? "giveup" : "timeout"));
      return;
    }
    store.putSubscription(s);
    enqueue(s, fullState(s));
    if (watched) {
      watchersChanged(resource, null);
    }
  }

  private void refreshSubscribe(DialogId id, SubscribeRequest req, SubscribeReply reply) {
    Subscription s = store.subscription(id);
    if (s == null || s.terminating || s.remote() != null) {
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
    enqueue(s, fullState(s));
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

  /**
   * The resource's state changed: compose, and tell every allowed watcher if the document differs.
   * Pending watchers see no state and blocked watchers always the same document, so a change
   * reaches neither.
   */
  private void changed(Resource resource) {
    changedOne(resource);
    for (StatePackage dependent : dependentsOf(resource.eventPackage())) {
      changedOne(new Resource(resource.address(), dependent.name()));
    }
  }

  /** The state packages that derive from {@code name} (StatePackage#derivedFrom). */
  private List<StatePackage> dependentsOf(String name) {
    List<StatePackage> dependents = new ArrayList<>(1);
    for (EventPackage p : packages.values()) {
      if (p instanceof StatePackage sp && sp.derivedFrom().contains(name)) {
        dependents.add(sp);
      }
    }
    return dependents;
  }

  private void changedOne(Resource resource) {
    List<Subscription> watchers = store.subscriptions(resource);
    if (watchers.isEmpty()) {
      composed.remove(resource);
      composedForCisco.remove(resource);
      return;
    }
    byte[] before = composed.get(resource);
    byte[] now = compose(resource);
    boolean same = before != null && java.util.Arrays.equals(before, now);
    // Cisco clients' documents carry more (phone-status), which may change when the common
    // document does not, so theirs is compared on its own.
    boolean cisco = watchers.stream().anyMatch(s -> s.ciscoClient && s.access == Access.ALLOWED);
    byte[] forCisco = cisco ? composeForCisco(resource) : null;
    byte[] ciscoBefore = composedForCisco.get(resource);
    boolean ciscoSame =
        !cisco || (ciscoBefore != null && java.util.Arrays.equals(ciscoBefore, forCisco));
    if (same && ciscoSame) {
      return;
    }
    composed.put(resource, now);
    if (cisco) {
      composedForCisco.put(resource, forCisco);
    } else {
      // Cisco clients that subscribe later start from their own full state, not from this.
      composedForCisco.remove(resource);
    }
    long nowNanos = ticker.read();
    for (Subscription s : watchers) {
      if (s.expiresAtNanos() - nowNanos <= 0) {
        terminate(s, "timeout");
      } else if (s.access == Access.ALLOWED && !(s.ciscoClient ? ciscoSame : same)) {
        enqueue(
            s,
            new Notification(
                stateBody(resource, s.ciscoClient ? forCisco : now), State.ACTIVE, null));
      }
    }
  }

  /** The NOTIFY that gives a subscription its full current state (RFC 6665 §4.2.2). */
  private Notification fullState(Subscription s) {
    return switch (s.access) {
        // RFC 3856 §6.6.2: nothing to show before the presentity decides; no body.
      case PENDING -> new Notification(null, State.PENDING, null);
      case BLOCKED -> new Notification(politeBlock(s.resource()), State.ACTIVE, null);
      case ALLOWED -> new Notification(currentBody(s), State.ACTIVE, null);
    };
  }

  /** The final NOTIFY of a subscription (RFC 6665 §4.2.2): its last state, and the reason. */
  private Notification finalState(Subscription s, String reason) {
    return switch (s.access) {
      case PENDING -> new Notification(null, State.TERMINATED, reason);
      case BLOCKED -> new Notification(politeBlock(s.resource()), State.TERMINATED, reason);
      case ALLOWED -> new Notification(currentBody(s), State.TERMINATED, reason);
    };
  }

  /** What a watcher of the resource sees now: the composed state, or the watcher list. */
  private Body currentBody(Subscription s) {
    Resource resource = s.resource();
    if (packages.get(resource.eventPackage()) instanceof WatcherInfoPackage w) {
      return watcherInfo(watcherList(new Resource(resource.address(), w.watched()), null));
    }
    return stateBody(resource, s.ciscoClient ? composeForCisco(resource) : document(resource));
  }

  private Body politeBlock(Resource resource) {
    StatePackage p = (StatePackage) packages.get(resource.eventPackage());
    return stateBody(resource, p.politeBlock(resource.address()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A state document as a NOTIFY body: the same bytes for every watcher, or, for a package that
   * counts versions (RFC 4235 §4.1), each subscription's next version set as the NOTIFY is sent.
   */
  private Body stateBody(Resource resource, byte[] document) {
    StatePackage p = (StatePackage) packages.get(resource.eventPackage());
    if (!p.countsVersions()) {
      return Body.of(document);
    }
    String text = new String(document, StandardCharsets.UTF_8);
    return s -> p.withVersion(text, s.nextDocumentVersion++).getBytes(StandardCharsets.UTF_8);
  }

  private static Access access(WatcherPolicy decision) {
    return switch (decision) {
      case ALLOW -> Access.ALLOWED;
      case CONFIRM -> Access.PENDING;
      case BLOCK -> Access.BLOCKED;
    };
  }

  /**
   * A watcher's id in watcherinfo documents (RFC 3857 §5.4): it only has to be unique among a
   * resource's watchers, and is no secret (the presentity reads it), so it comes from the lane's
   * ThreadLocalRandom, not SecureRandom, whose shared generator took ~1.5% of subscription setup
   * (issue 7). 72 random bits: two ids alike among 100,000 watchers has a chance below 10^-11.
   */
  private static String newWatcherId() {
    byte[] b = new byte[9];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---------------------------------------------------------------- watcher info (RFC 3857)

  /**
   * The watchers of a state resource changed in a way its watcher information shows (a watcher
   * came, was decided on, or went): refresh the list of pending watchers, and send every subscriber
   * of the resource's watcher info the new list. {@code ended} is a subscription that just ended,
   * listed once more as terminated; null if none did.
   */
  private void watchersChanged(Resource watched, Subscription ended) {
    if (!(packages.get(watched.eventPackage()) instanceof StatePackage)) {
      return;
    }
    Set<String> waiting = new LinkedHashSet<>();
    for (Subscription s : store.subscriptionsView(watched)) {
      if (s.access == Access.PENDING && !s.terminating) {
        waiting.add(s.watcher());
      }
    }
    boolean presence = PresencePackage.NAME.equals(watched.eventPackage());
    boolean derived =
        packages.get(watched.eventPackage()) instanceof StatePackage sp
            && sp.derivedFrom().contains(PresencePackage.NAME);
    if (presence || derived) {
      // A BLF watcher needs CUCM's phone state as much as a presence watcher does.
      int all = liveWatchersOfPhoneState(watched.address());
      try {
        watcherCounts.accept(watched.address(), all);
      } catch (RuntimeException e) {
        LOG.warn("watcher count of {} not taken: {}", watched.address(), e.toString());
      }
    }
    if (waiting.isEmpty()) {
      pendingWatchers.remove(watched);
    } else {
      pendingWatchers.put(watched, List.copyOf(waiting));
    }
    WatcherInfoPackage w = watcherInfoOf.get(watched.eventPackage());
    if (w == null || closing) {
      return;
    }
    List<Subscription> subscribers = store.subscriptions(new Resource(watched.address(), w.name()));
    if (subscribers.isEmpty()) {
      return;
    }
    Body body = watcherInfo(watcherList(watched, ended));
    for (Subscription subscriber : subscribers) {
      if (!subscriber.terminating) {
        enqueue(subscriber, new Notification(body, State.ACTIVE, null));
      }
    }
  }

  /** Live subscriptions to a presentity's presence and to the packages derived from it. */
  private int liveWatchersOfPhoneState(String address) {
    int live = 0;
    for (String name : phoneStatePackages) {
      for (Subscription s : store.subscriptionsView(new Resource(address, name))) {
        if (!s.terminating) {
          live++;
        }
      }
    }
    return live;
  }

  /**
   * The watchers of a state resource as RFC 3858 lists them. A pending subscription is pending; an
   * allowed and a politely blocked one are both active, for that is their state (RFC 3857: the list
   * reports subscription state, and a polite block is an active subscription that is shown a
   * document revealing nothing); the event says what made them so (subscribe, or approved when they
   * left pending).
   */
  private WatcherList watcherList(Resource watched, Subscription ended) {
    List<WatcherList.Watcher> watchers = new ArrayList<>();
    long now = ticker.read();
    for (Subscription s : store.subscriptionsView(watched)) {
      if (s.terminating || s.expiresAtNanos() - now <= 0) {
        continue;
      }
      watchers.add(
          new WatcherList.Watcher(
              s.watcherId(),
              s.watcher(),
              s.access == Access.PENDING ? WatcherList.Status.PENDING : WatcherList.Status.ACTIVE,
              s.lastEvent));
    }
    if (ended != null) {
      watchers.add(
          new WatcherList.Watcher(
              ended.watcherId(), ended.watcher(), WatcherList.Status.TERMINATED, ended.lastEvent));
    }
    return new WatcherList(watched.address(), watched.eventPackage(), watchers);
  }

  /** A watcher-info body: each subscriber's NOTIFYs count their versions from 0 (RFC 3858 §3). */
  private static Body watcherInfo(WatcherList list) {
    return s -> list.document(s.nextWatcherInfoVersion++).getBytes(StandardCharsets.UTF_8);
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

  /** The document of a resource for a Cisco client: composed anew, it is not cached. */
  private byte[] composeForCisco(Resource resource) {
    List<Object> docs = publishedDocuments(resource);
    return ((StatePackage) packages.get(resource.eventPackage()))
        .composeForCisco(
            resource.address(), docs, docs.isEmpty() && registered.test(resource.address()))
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] compose(Resource resource) {
    List<Object> docs = publishedDocuments(resource);
    return ((StatePackage) packages.get(resource.eventPackage()))
        .compose(resource.address(), docs, docs.isEmpty() && registered.test(resource.address()))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The parsed documents of a resource's publications, for its package to compose. */
  private List<Object> publishedDocuments(Resource resource) {
    List<Publication> pubs = store.publications(resource);
    List<Object> docs = new ArrayList<>(pubs.size());
    for (Publication p : pubs) {
      docs.add(p.document());
    }
    if (packages.get(resource.eventPackage()) instanceof StatePackage sp) {
      // Those of the packages it derives from come after its own (StatePackage#derivedFrom).
      for (String from : sp.derivedFrom()) {
        for (Publication p : store.publications(new Resource(resource.address(), from))) {
          docs.add(p.document());
        }
      }
    }
    return docs;
  }

  /** Ends a subscription with a final NOTIFY (RFC 6665 §4.2.2, Subscription-State terminated). */
  private void terminate(Subscription s, String reason) {
    if (s.terminating) {
      return;
    }
    Notification last = finalState(s, reason);
    s.terminating = true;
    store.removeSubscription(s);
    forgetIfIdle(s.resource());
    enqueue(s, last);
    ended(s, reason);
  }

  /** Tells the watcher info of a subscription that ended; {@code reason} as in RFC 6665 §4.2.2. */
  private void ended(Subscription s, String reason) {
    if (packages.get(s.resource().eventPackage()) instanceof StatePackage) {
      s.lastEvent = WatcherList.Event.valueOf(reason.toUpperCase(java.util.Locale.ROOT));
      watchersChanged(s.resource(), s);
    }
  }

  private void forgetIfIdle(Resource resource) {
    if (!store.contains(resource)) {
      composed.remove(resource);
      composedForCisco.remove(resource);
    }
  }

  private void enqueue(Subscription s, Notification n) {
    if (s.ended) {
      return;
    }
    if (s.inFlight) {
      if (s.pending == null || !s.pending.terminal()) {
        if (s.pending != null) {
          notifiesSuperseded.incrementAndGet();
        }
        s.pending = n;
      }
      return;
    }
    send(s, n);
  }

  private void send(Subscription s, Notification n) {
    if (s.remote() != null) {
      deliver(s, n);
      return;
    }
    NotifyRequest notify;
    try {
      notify = buildNotify(s, n);
    } catch (RuntimeException e) {
      LOG.error("cannot build NOTIFY for {}", s, e);
      end(s);
      return;
    }
    s.inFlight = true;
    notifiesSent.incrementAndGet();
    notifiesInFlight.incrementAndGet();
    String lane = s.resource().address();
    transport.send(notify, result -> lanes.execute(lane, () -> notifyCompleted(s, n, result)));
  }

  /** A remote watcher's update, handed over at once on the lane: nothing is in flight. */
  private void deliver(Subscription s, Notification n) {
    RemoteWatcher.Status status =
        n.terminal()
            ? RemoteWatcher.Status.TERMINATED
            : n.state() == State.PENDING
                ? RemoteWatcher.Status.PENDING
                : s.access == Access.BLOCKED
                    ? RemoteWatcher.Status.BLOCKED
                    : RemoteWatcher.Status.ACTIVE;
    byte[] document =
        n.body() == null || status == RemoteWatcher.Status.TERMINATED ? null : n.body().bytes(s);
    try {
      s.remote().update(new RemoteWatcher.View(status, document, n.reason()));
    } catch (RuntimeException e) {
      LOG.warn("update of {} not taken: {}", s, e.toString());
    }
    if (n.terminal()) {
      end(s);
    }
  }

  private NotifyRequest buildNotify(Subscription s, Notification n) {
    NotifyRequest.State state;
    if (n.terminal()) {
      state = NotifyRequest.State.terminated(n.reason());
    } else {
      long left =
          TimeUnit.NANOSECONDS.toSeconds(
              s.expiresAtNanos() - ticker.read() + TimeUnit.MILLISECONDS.toNanos(999));
      state =
          NotifyRequest.State.of(
              n.state() == State.PENDING
                  ? SubscriptionStateHeader.PENDING
                  : SubscriptionStateHeader.ACTIVE,
              (int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
    }
    return s.dialog()
        .newNotify(
            s.resource().eventPackage(),
            s.eventId(),
            state,
            n.body() == null ? null : s.contentType(),
            n.body() == null ? null : n.body().bytes(s));
  }

  private void notifyCompleted(Subscription s, Notification n, RequestResult result) {
    s.inFlight = false;
    notifiesInFlight.decrementAndGet();
    if (!result.isSuccess()) {
      notifiesFailed.incrementAndGet();
      boolean keep =
          result.status() == 408
              && policy.notifyTimeout() == NotifyTimeoutAction.KEEP
              && !n.terminal();
      if (!keep) {
        // RFC 6665 §4.2.2: an error response (or, by policy, a timeout) ends the subscription.
        boolean wasLive = !s.terminating;
        if (wasLive) {
          LOG.info("NOTIFY for {} failed with {}: subscription ended", s, result);
        } else {
          // its final NOTIFY: the subscription was ending anyway (a send failure is logged by
          // SipServer)
          LOG.debug("final NOTIFY for {} failed with {}", s, result);
        }
        s.terminating = true;
        store.removeSubscription(s);
        forgetIfIdle(s.resource());
        end(s);
        if (wasLive) {
          // It ended without a final NOTIFY, as if it had not been refreshed.
          ended(s, "timeout");
        }
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
            if (p instanceof StatePackage) {
              changed(new Resource(address, p.name()));
            }
          }
        });
  }

  // ---------------------------------------------------------------- authorization decisions

  /**
   * A decision about {@code watcher} was made: its subscriptions to the presentity's state packages
   * move to what the rules now say. A pending one becomes active (event approved, RFC 3857) with
   * the full state or the polite-block document; an active one switches between the two. Runs on
   * the presentity's lane.
   */
  private void reconsider(String presentity, String watcher) {
    WatcherPolicy decision = rules.decide(presentity, watcher);
    Access next = access(decision);
    for (EventPackage p : packages.values()) {
      if (!(p instanceof StatePackage)) {
        continue;
      }
      Resource resource = new Resource(presentity, p.name());
      boolean listChanged = false;
      for (Subscription s : store.subscriptions(resource)) {
        if (s.terminating || !s.watcher().equals(watcher) || s.access == next) {
          continue;
        }
        if (next == Access.PENDING) {
          // RFC 3857 has no way back to pending; a decision is allow or deny, so it never asks.
          continue;
        }
        if (s.access == Access.PENDING) {
          s.lastEvent = WatcherList.Event.APPROVED;
          listChanged = true;
        }
        s.access = next;
        enqueue(s, fullState(s));
      }
      if (listChanged) {
        watchersChanged(resource, null);
      }
    }
  }

  /** {@link PresenceAuthorization} over the rules and the lanes. */
  private final class Authorization implements PresenceAuthorization {
    @Override
    public void allow(String presentity, String watcher) {
      decide(presentity, watcher, true);
    }

    @Override
    public void deny(String presentity, String watcher) {
      decide(presentity, watcher, false);
    }

    private void decide(String presentity, String watcher, boolean allowed) {
      String p = WatcherRules.address(presentity);
      String w = WatcherRules.address(watcher);
      rules.remember(p, w, allowed);
      if (!closing) {
        lanes.execute(p, () -> reconsider(p, w));
      }
    }

    @Override
    public List<String> pending(String presentity) {
      String p = WatcherRules.address(presentity);
      Set<String> waiting = new LinkedHashSet<>();
      for (EventPackage pkg : packages.values()) {
        waiting.addAll(pendingWatchers.getOrDefault(new Resource(p, pkg.name()), List.of()));
      }
      return List.copyOf(waiting);
    }
  }

  // ---------------------------------------------------------------- expiry and shutdown

  private final class Expirations implements PresenceStore.ExpiryListener {
    @Override
    public void publicationExpired(Publication p) {
      lanes.execute(
          p.resource().address(),
          () -> {
            store.removePublication(p);
            telephonyTags.remove(p.resource(), p.etag());
            gatewayTags.remove(p.resource(), p.etag());
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
