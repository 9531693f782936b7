package dev.herald.config;

import java.util.Objects;

/**
 * Limits and timers of the presence engine.
 *
 * @param publish the expiry range for PUBLISH (RFC 3903 §6)
 * @param subscribe the expiry range for SUBSCRIBE (RFC 6665 §4.2.1.1)
 * @param maxPresentities how many presentities the store holds at most
 * @param maxSubscriptionsPerPresentity how many watchers one presentity may have
 * @param maxPublicationsPerPresentity how many live publications (ETags) one presentity may have
 * @param maxDocumentBytes the largest PIDF body accepted, in bytes
 * @param notifyTimeout what a NOTIFY answered 408, or timing out, does to its subscription
 * @param executorLanes lanes of the per-presentity serial executor; 0 means twice the number of
 *     available processors
 * @param authorization who may watch a presentity, by the watcher's domain; {@link
 *     AuthorizationPolicy#ALLOW_ALL} when the file has no {@code presence.authorization}
 * @param maxSubscriptionsPerWatcher how many subscriptions one watcher address may hold, over all
 *     presentities and packages; trusted peers are not counted
 */
public record PresencePolicy(
    ExpiresPolicy publish,
    ExpiresPolicy subscribe,
    int maxPresentities,
    int maxSubscriptionsPerPresentity,
    int maxPublicationsPerPresentity,
    int maxDocumentBytes,
    NotifyTimeoutAction notifyTimeout,
    int executorLanes,
    AuthorizationPolicy authorization,
    int maxSubscriptionsPerWatcher) {

  /** {@code presence.max-subscriptions-per-watcher} when the file does not set it. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_WATCHER = 1_000;

  public PresencePolicy {
    Objects.requireNonNull(publish, "publish");
    Objects.requireNonNull(subscribe, "subscribe");
    Objects.requireNonNull(notifyTimeout, "notifyTimeout");
    Objects.requireNonNull(authorization, "authorization");
  }

  /** With the default {@link #DEFAULT_MAX_SUBSCRIPTIONS_PER_WATCHER}. */
  public PresencePolicy(
      ExpiresPolicy publish,
      ExpiresPolicy subscribe,
      int maxPresentities,
      int maxSubscriptionsPerPresentity,
      int maxPublicationsPerPresentity,
      int maxDocumentBytes,
      NotifyTimeoutAction notifyTimeout,
      int executorLanes,
      AuthorizationPolicy authorization) {
    this(
        publish,
        subscribe,
        maxPresentities,
        maxSubscriptionsPerPresentity,
        maxPublicationsPerPresentity,
        maxDocumentBytes,
        notifyTimeout,
        executorLanes,
        authorization,
        DEFAULT_MAX_SUBSCRIPTIONS_PER_WATCHER);
  }
}
