package dev.herald.config;

/**
 * When Herald refuses new out-of-dialog requests with 503 and Retry-After ({@code sip.overload}).
 *
 * @param maxQueuedDatagrams UDP request datagrams received and not yet parsed (responses are not
 *     counted) above which new requests are refused; 0 = no limit
 * @param maxBacklog presence tasks queued on the lanes above which new requests are refused; 0 = no
 *     limit
 * @param retryAfterSeconds the Retry-After of the 503, 1..3600
 */
public record OverloadPolicy(int maxQueuedDatagrams, int maxBacklog, int retryAfterSeconds) {
  /** The defaults: about a quarter of a second of work at the rates BENCHMARKS.md measured. */
  public static final OverloadPolicy DEFAULT = new OverloadPolicy(2_000, 5_000, 5);
}
