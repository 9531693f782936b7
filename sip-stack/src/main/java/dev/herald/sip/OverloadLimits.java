package dev.herald.sip;

/**
 * When Herald refuses new work: while more UDP request datagrams than {@code maxQueuedDatagrams}
 * wait to be parsed (responses waiting are not counted: they complete work in flight), or the
 * application reports more queued tasks than {@code maxBacklog}, every new out-of-dialog request is
 * answered 503 with {@code Retry-After: retryAfterSeconds} before a transaction is created (RFC
 * 3261 §21.5.4). Responses, ACK, CANCEL and in-dialog requests still pass, so established
 * subscriptions keep working. A limit of 0 turns that check off.
 */
public record OverloadLimits(int maxQueuedDatagrams, long maxBacklog, int retryAfterSeconds) {

  /** No limit: nothing is refused for load. */
  public static final OverloadLimits NONE = new OverloadLimits(0, 0, 1);

  public OverloadLimits {
    if (maxQueuedDatagrams < 0 || maxBacklog < 0) {
      throw new IllegalArgumentException("limits must be 0 (off) or positive");
    }
    if (retryAfterSeconds < 1) {
      throw new IllegalArgumentException("retryAfterSeconds must be positive");
    }
  }
}
