package dev.herald.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.sip.dialog.DialogId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/*
 * Design note. Two Caffeine caches own expiry: publications by entity tag and subscriptions by
 * dialog id, each entry expiring at its own time (Expiry reads the entry's deadline). An index
 * (resource -> its publications and subscriptions) answers "who watches alice" without a scan;
 * an index entry is created and dropped only on its presentity's lane, so its inner maps need no
 * lock. Caffeine reports expiry with cause EXPIRED; explicit removals and replacements are the
 * engine's own doing and are not reported. An entry past its deadline that Caffeine has not yet
 * evicted is already invisible here (Caffeine hides it from reads; the index filters by deadline),
 * so state never depends on when the eviction runs. Nothing is evicted for size: limits are
 * enforced by the engine with the RFC's answer, never by silently dropping someone's state.
 */
final class CaffeinePresenceStore implements PresenceStore {
  private final Ticker ticker;
  private final Cache<String, Publication> publications;
  private final Cache<DialogId, Subscription> subscriptions;
  private final ConcurrentHashMap<Resource, IndexEntry> index = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> presentities = new ConcurrentHashMap<>();
  // Subscriptions per watcher address, kept with the index (a watcher's subscriptions live on
  // many lanes, so the counts are changed atomically); an address at 0 is dropped.
  private final ConcurrentHashMap<String, Integer> watchers = new ConcurrentHashMap<>();

  CaffeinePresenceStore(
      Ticker ticker, Scheduler scheduler, Executor executor, ExpiryListener listener) {
    this.ticker = ticker;
    this.publications =
        Caffeine.newBuilder()
            .ticker(ticker)
            .scheduler(scheduler)
            .executor(executor)
            .expireAfter(new DeadlineExpiry<Publication>(ticker, Publication::expiresAtNanos))
            .removalListener(
                (String etag, Publication p, RemovalCause cause) -> {
                  if (cause == RemovalCause.EXPIRED && p != null) {
                    listener.publicationExpired(p);
                  }
                })
            .build();
    this.subscriptions =
        Caffeine.newBuilder()
            .ticker(ticker)
            .scheduler(scheduler)
            .executor(executor)
            .expireAfter(new DeadlineExpiry<Subscription>(ticker, Subscription::expiresAtNanos))
            .removalListener(
                (DialogId id, Subscription s, RemovalCause cause) -> {
                  if (cause == RemovalCause.EXPIRED && s != null) {
                    listener.subscriptionExpired(s);
                  }
                })
            .build();
  }

  @Override
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public Publication publication(String etag) {
    return publications.getIfPresent(etag);
  }

  @Override
  public void putPublication(Publication p) {
    entry(p.resource()).publications.put(p.etag(), p);
    publications.put(p.etag(), p);
  }

  @Override
  public void removePublication(Publication p) {
    publications.asMap().remove(p.etag(), p);
    IndexEntry e = index.get(p.resource());
    if (e != null) {
      e.publications.remove(p.etag());
      dropIfEmpty(p.resource(), e);
    }
  }

  @Override
  public List<Publication> publications(Resource resource) {
    IndexEntry e = index.get(resource);
    if (e == null) {
      return List.of();
    }
    long now = ticker.read();
    List<Publication> out = new ArrayList<>(e.publications.size());
    for (Publication p : e.publications.values()) {
      if (p.expiresAtNanos() - now > 0) {
        out.add(p);
      }
    }
    out.sort(Comparator.comparingLong(Publication::sequence));
    return out;
  }

  @Override
  public Subscription subscription(DialogId id) {
    return subscriptions.getIfPresent(id);
  }

  @Override
  public void putSubscription(Subscription s) {
    if (entry(s.resource()).subscriptions.put(s.id(), s) == null && s.watcher() != null) {
      watchers.merge(s.watcher(), 1, Integer::sum);
    }
    subscriptions.put(s.id(), s);
  }

  @Override
  public void removeSubscription(Subscription s) {
    subscriptions.asMap().remove(s.id(), s);
    IndexEntry e = index.get(s.resource());
    if (e != null) {
      if (e.subscriptions.remove(s.id()) != null && s.watcher() != null) {
        watchers.computeIfPresent(s.watcher(), (w, n) -> n == 1 ? null : n - 1);
      }
      dropIfEmpty(s.resource(), e);
    }
  }

  @Override
  public List<Subscription> subscriptions(Resource resource) {
    IndexEntry e = index.get(resource);
    return e == null ? List.of() : new ArrayList<>(e.subscriptions.values());
  }

  @Override
  public Collection<Subscription> subscriptionsView(Resource resource) {
    IndexEntry e = index.get(resource);
    return e == null ? List.of() : Collections.unmodifiableCollection(e.subscriptions.values());
  }

  @Override
  public int subscriptionCount(Resource resource) {
    IndexEntry e = index.get(resource);
    return e == null ? 0 : e.subscriptions.size();
  }

  @Override
  public int subscriptionsOf(String watcher) {
    return watchers.getOrDefault(watcher, 0);
  }

  @Override
  public List<Resource> resources() {
    return new ArrayList<>(index.keySet());
  }

  @Override
  public boolean contains(Resource resource) {
    return index.containsKey(resource);
  }

  @Override
  public int presentityCount() {
    return presentities.size();
  }

  @Override
  public long publicationCount() {
    return publications.estimatedSize();
  }

  @Override
  public long subscriptionCount() {
    return subscriptions.estimatedSize();
  }

  @Override
  public void cleanUp() {
    publications.cleanUp();
    subscriptions.cleanUp();
  }

  private IndexEntry entry(Resource resource) {
    return index.computeIfAbsent(
        resource,
        r -> {
          presentities.computeIfAbsent(r.address(), a -> new AtomicLong()).incrementAndGet();
          return new IndexEntry();
        });
  }

  private void dropIfEmpty(Resource resource, IndexEntry e) {
    if (e.publications.isEmpty() && e.subscriptions.isEmpty() && index.remove(resource, e)) {
      presentities.computeIfPresent(
          resource.address(), (a, n) -> n.decrementAndGet() == 0 ? null : n);
    }
  }

  /** A resource's entries. Its maps are touched only on the resource's lane. */
  private static final class IndexEntry {
    final Map<String, Publication> publications = new LinkedHashMap<>(4);
    final Map<DialogId, Subscription> subscriptions = new LinkedHashMap<>(8);
  }

  /** Expiry at the deadline the entry carries, whatever the operation. */
  private static final class DeadlineExpiry<V> implements Expiry<Object, V> {
    private final Ticker ticker;
    private final ToLongFunction<V> deadline;

    DeadlineExpiry(Ticker ticker, ToLongFunction<V> deadline) {
      this.ticker = ticker;
      this.deadline = deadline;
    }

    private long remaining(V value) {
      return Math.max(0, deadline.applyAsLong(value) - ticker.read());
    }

    @Override
    public long expireAfterCreate(Object key, V value, long currentTime) {
      return remaining(value);
    }

    @Override
    public long expireAfterUpdate(Object key, V value, long currentTime, long currentDuration) {
      return remaining(value);
    }

    @Override
    public long expireAfterRead(Object key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
