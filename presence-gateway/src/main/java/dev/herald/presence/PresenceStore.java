package dev.herald.presence;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.sip.dialog.DialogId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The presence soft state: publications and subscriptions, each expiring on its own time, with an
 * index by presentity. Reads may come from any thread; changes for one presentity come only from
 * that presentity's lane.
 */
public interface PresenceStore {

  /** Told when an entry's time ran out. Called on the store's executor; hop to the lane. */
  interface ExpiryListener {
    void publicationExpired(Publication publication);

    void subscriptionExpired(Subscription subscription);
  }

  /** The store's ticker: the clock that expiry times are measured on. */
  Ticker ticker();

  /** The live publication with this entity tag, or null. */
  Publication publication(String etag);

  /** Adds or replaces a publication (under its tag) and indexes it under its resource. */
  void putPublication(Publication publication);

  /** Removes a publication; nothing happens if it is already gone. */
  void removePublication(Publication publication);

  /** The live publications of a resource, oldest body first. */
  List<Publication> publications(Resource resource);

  /** The live subscription with this dialog, or null. */
  Subscription subscription(DialogId id);

  void putSubscription(Subscription subscription);

  void removeSubscription(Subscription subscription);

  /** The subscriptions of a resource (a snapshot). */
  List<Subscription> subscriptions(Resource resource);

  /**
   * The subscriptions of a resource as they are, not copied: only for the resource's lane, and only
   * to read; the store must not change for the resource while it is iterated.
   */
  Collection<Subscription> subscriptionsView(Resource resource);

  /** How many subscriptions a resource has, as {@code subscriptions(resource).size()}. */
  int subscriptionCount(Resource resource);

  /** How many live subscriptions name {@code watcher} as their watcher, over all resources. */
  int subscriptionsOf(String watcher);

  /** Every resource that has a publication or a subscription (a snapshot). */
  List<Resource> resources();

  /** Whether the resource has any publication or subscription. */
  boolean contains(Resource resource);

  /** Distinct presentity addresses that hold state. */
  int presentityCount();

  long publicationCount();

  long subscriptionCount();

  /** Runs pending expiry work now (tests call it after moving the ticker). */
  void cleanUp();

  /**
   * A store on Caffeine caches.
   *
   * @param ticker the clock for expiry; {@link Ticker#systemTicker()} in production
   * @param scheduler wakes the caches when an entry is due, so expiry is prompt without traffic;
   *     {@link Scheduler#systemScheduler()} in production, {@link Scheduler#disabledScheduler()} in
   *     tests that call {@link #cleanUp()}
   * @param executor runs maintenance and expiry notifications
   */
  static PresenceStore caffeine(
      Ticker ticker, Scheduler scheduler, Executor executor, ExpiryListener listener) {
    return new CaffeinePresenceStore(ticker, scheduler, executor, listener);
  }
}
