package dev.herald.presence;

import dev.herald.sip.Rejection;

/** How the engine answers a SUBSCRIBE. Exactly one method is called, once. */
public interface SubscribeReply {
  /**
   * 200 with the dialog's local tag in To and {@code Expires: expires}. Called before the first
   * NOTIFY of the subscription is sent.
   */
  void accepted(String localTag, int expires);

  void rejected(Rejection rejection);
}
