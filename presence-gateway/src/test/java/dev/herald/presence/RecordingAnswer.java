package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.sip.Rejection;

/** Records what the engine answered to a PUBLISH or SUBSCRIBE, and fails if it answers twice. */
final class RecordingAnswer implements PublishReply, SubscribeReply {
  /** The entity tag of an accepted PUBLISH; the same value as {@link #localTag}. */
  String etag;

  /** The local tag of an accepted SUBSCRIBE; the same value as {@link #etag}. */
  String localTag;

  Integer expires;
  Rejection rejection;

  @Override
  public void accepted(String tag, int expires) {
    assertNull(this.expires, "answered twice");
    this.etag = tag;
    this.localTag = tag;
    this.expires = expires;
  }

  @Override
  public void rejected(Rejection rejection) {
    assertNull(this.rejection, "answered twice");
    this.rejection = rejection;
  }

  /** 200 when accepted, the rejection's status, or -1 when not answered (yet). */
  int status() {
    return rejection != null ? rejection.status() : expires != null ? 200 : -1;
  }
}
