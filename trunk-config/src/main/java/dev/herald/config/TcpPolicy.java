package dev.herald.config;

/**
 * Bounds on TCP and TLS connections ({@code sip.tcp}).
 *
 * @param maxConnections connections open at once, 1..100000; past it, new ones wait to be accepted
 * @param readTimeoutMillis once a message has begun, the longest wait for each next part of it,
 *     100..600000 ms; a slower sender's connection is closed
 * @param idleTimeoutSeconds a connection that carries no byte either way for this long is closed,
 *     10..86400 s, or 0 to keep idle connections open
 */
public record TcpPolicy(int maxConnections, int readTimeoutMillis, int idleTimeoutSeconds) {
  public static final TcpPolicy DEFAULT = new TcpPolicy(2_000, 10_000, 300);

  /** With the default idle timeout. */
  public TcpPolicy(int maxConnections, int readTimeoutMillis) {
    this(maxConnections, readTimeoutMillis, DEFAULT.idleTimeoutSeconds());
  }
}
