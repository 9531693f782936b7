package dev.herald.sip;

/**
 * Bounds on stream connections (TCP and TLS) that Herald accepts.
 *
 * @param maxConnections connections open at once; past it, new ones wait in the kernel's accept
 *     queue until one closes (JAIN-SIP reads each connection on a thread of its own)
 * @param readTimeoutMillis once the first byte of a message has arrived, the longest wait for each
 *     next part of it; a slower sender's connection is closed (against "slowloris" senders)
 * @param idleTimeoutMillis a TCP connection Herald accepted that carries no byte either way for
 *     this long, and holds no registration or subscription that is still live, is closed and
 *     forgotten; 0 keeps idle connections open
 */
public record TcpLimits(int maxConnections, int readTimeoutMillis, long idleTimeoutMillis) {

  /** 2,000 connections, 10 s read timeout, 300 s idle timeout. */
  public static final TcpLimits DEFAULT = new TcpLimits(2_000, 10_000, 300_000);

  public TcpLimits {
    if (maxConnections < 1 || readTimeoutMillis < 1 || idleTimeoutMillis < 0) {
      throw new IllegalArgumentException("TCP limits must be positive");
    }
  }

  /** With the default idle timeout. */
  public TcpLimits(int maxConnections, int readTimeoutMillis) {
    this(maxConnections, readTimeoutMillis, DEFAULT.idleTimeoutMillis());
  }
}
