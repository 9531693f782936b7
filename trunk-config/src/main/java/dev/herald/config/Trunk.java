package dev.herald.config;

import java.util.List;
import java.util.Objects;

/**
 * A SIP trunk to a CUCM cluster (or another call agent): its peers, how often Herald pings them
 * with OPTIONS, and whose telephony presence it is the source of. Its peers are trusted: their
 * requests are not challenged, as if they were listed in {@code security.trusted-peers}.
 *
 * @param name unique among the trunks; lower-case letters, digits and {@code -}; logs use it
 * @param peers one or more, no duplicates, none shared with another trunk
 * @param optionsIntervalSeconds seconds between two OPTIONS pings of one peer, 1..3600
 * @param telephonySource whose telephony presence the trunk publishes
 * @param subscribeExpiresSeconds the Expires of Herald's back-end SUBSCRIBE for a watched user's
 *     phone state, 60..86400
 * @param subscribeLingerSeconds how long a back-end subscription outlives its last local watcher
 *     before Herald ends it, 0..3600
 */
public record Trunk(
    String name,
    List<TrunkPeer> peers,
    int optionsIntervalSeconds,
    TelephonySource telephonySource,
    int subscribeExpiresSeconds,
    int subscribeLingerSeconds) {

  /** CUCM's own default OPTIONS ping interval, in seconds. */
  public static final int DEFAULT_OPTIONS_INTERVAL = 60;

  /** The default Expires of a back-end SUBSCRIBE: the presence package's (RFC 3856 §6.4). */
  public static final int DEFAULT_SUBSCRIBE_EXPIRES = 3_600;

  /** The default linger of a back-end subscription after its last watcher, in seconds. */
  public static final int DEFAULT_SUBSCRIBE_LINGER = 30;

  /** A trunk with the default back-end subscription expiry and linger. */
  public Trunk(
      String name,
      List<TrunkPeer> peers,
      int optionsIntervalSeconds,
      TelephonySource telephonySource) {
    this(
        name,
        peers,
        optionsIntervalSeconds,
        telephonySource,
        DEFAULT_SUBSCRIBE_EXPIRES,
        DEFAULT_SUBSCRIBE_LINGER);
  }

  public Trunk {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(telephonySource, "telephonySource");
    peers = List.copyOf(peers);
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("a trunk needs at least one peer");
    }
    if (optionsIntervalSeconds < 1 || optionsIntervalSeconds > 3_600) {
      throw new IllegalArgumentException(
          "options interval must be 1..3600 s, was " + optionsIntervalSeconds);
    }
    if (subscribeExpiresSeconds < 60 || subscribeExpiresSeconds > 86_400) {
      throw new IllegalArgumentException(
          "subscribe expires must be 60..86400 s, was " + subscribeExpiresSeconds);
    }
    if (subscribeLingerSeconds < 0 || subscribeLingerSeconds > 3_600) {
      throw new IllegalArgumentException(
          "subscribe linger must be 0..3600 s, was " + subscribeLingerSeconds);
    }
  }
}
