package dev.herald.sip;

/**
 * Bounds on stream connections (TCP and TLS) that Herald accepts.
 *
 * @param maxConnections connections open at once; past it, new ones wait in the kernel's accept
 *     queue until one closes (JAIN-SIP reads each connection on a thread of its own)
 * @param readTimeoutMillis once the first byte of a message has arrived, the longest wait for each
 *     next part of it; a slower sender's connection is closed (against "slowloris" senders)
 */
public record TcpLimits(int maxConnections, int readTimeoutMillis) {

  /** 2,000 connections, 10 s. */
  public static final TcpLimits DEFAULT = new TcpLimits(2_000, 10_000);

  public TcpLimits {
    if (maxConnections < 1 || readTimeoutMillis < 1) {
      throw new IllegalArgumentException("TCP limits must be positive");
    }
  }
}
