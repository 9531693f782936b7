package dev.herald.presence;

import dev.herald.sip.Rejection;

/** How the engine answers a PUBLISH. Exactly one method is called, once. */
public interface PublishReply {
  /** 200 with {@code SIP-ETag: etag} and {@code Expires: expires}. */
  void accepted(String etag, int expires);

  void rejected(Rejection rejection);
}
