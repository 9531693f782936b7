package dev.herald.config;

/**
 * Settings of the SIP stack.
 *
 * @param threadPoolSize threads that run SIP listener callbacks, 1..256
 * @param maxMessageSize the largest SIP message accepted on a stream transport, in bytes
 * @param trace whether every SIP message in and out is logged (logger {@code dev.herald.sip.trace})
 * @param overload when new requests are refused for load
 */
public record SipSettings(
    int threadPoolSize, int maxMessageSize, boolean trace, OverloadPolicy overload) {

  /** With the default overload limits. */
  public SipSettings(int threadPoolSize, int maxMessageSize, boolean trace) {
    this(threadPoolSize, maxMessageSize, trace, OverloadPolicy.DEFAULT);
  }
}
