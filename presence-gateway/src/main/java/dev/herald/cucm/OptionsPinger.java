package dev.herald.cucm;

import dev.herald.config.TrunkPeer;
import dev.herald.sip.ResponseCallback;

/** Sends one OPTIONS ping to a trunk peer; {@link SipOptionsPinger} over the SIP server. */
@FunctionalInterface
public interface OptionsPinger {
  /** Sends the ping; {@code callback} is told once how it ended, on any thread. */
  void ping(TrunkPeer peer, ResponseCallback callback);
}
