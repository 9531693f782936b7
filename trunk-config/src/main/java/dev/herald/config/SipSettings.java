package dev.herald.config;

/**
 * Settings of the SIP stack.
 *
 * @param threadPoolSize threads that run SIP listener callbacks, 1..256
 * @param maxMessageSize the largest SIP message accepted on a stream transport, in bytes
 * @param trace whether every SIP message in and out is logged (logger {@code dev.herald.sip.trace})
 * @param overload when new requests are refused for load
 * @param rateLimit how many requests one source may send
 * @param tcp bounds on TCP and TLS connections
 */
public record SipSettings(
    int threadPoolSize,
    int maxMessageSize,
    boolean trace,
    OverloadPolicy overload,
    RateLimitPolicy rateLimit,
    TcpPolicy tcp) {

  /** With the default overload limits, rate limit and TCP bounds. */
  public SipSettings(int threadPoolSize, int maxMessageSize, boolean trace) {
    this(
        threadPoolSize,
        maxMessageSize,
        trace,
        OverloadPolicy.DEFAULT,
        RateLimitPolicy.DEFAULT,
        TcpPolicy.DEFAULT);
  }
}
