package dev.herald.cucm;

import dev.herald.config.TrunkPeer;
import java.util.Objects;

/**
 * The health of one trunk peer at one moment.
 *
 * @param trunk the trunk's name
 * @param peer the peer
 * @param state in service, out of service, or unknown until its first ping is decided
 * @param reason what decided the state: {@code 200 OK}, {@code 503 Service Unavailable}, {@code no
 *     answer within 5 s}; {@code not pinged yet} while unknown
 */
public record PeerHealth(String trunk, TrunkPeer peer, PeerState state, String reason) {
  public PeerHealth {
    Objects.requireNonNull(trunk, "trunk");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }
}
