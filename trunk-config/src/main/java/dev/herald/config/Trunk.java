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
 */
public record Trunk(
    String name,
    List<TrunkPeer> peers,
    int optionsIntervalSeconds,
    TelephonySource telephonySource) {

  /** CUCM's own default OPTIONS ping interval, in seconds. */
  public static final int DEFAULT_OPTIONS_INTERVAL = 60;

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
  }
}
