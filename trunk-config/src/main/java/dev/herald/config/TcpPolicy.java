package dev.herald.config;

/**
 * Bounds on TCP and TLS connections ({@code sip.tcp}).
 *
 * @param maxConnections connections open at once, 1..100000; past it, new ones wait to be accepted
 * @param readTimeoutMillis once a message has begun, the longest wait for each next part of it,
 *     100..600000 ms; a slower sender's connection is closed
 */
public record TcpPolicy(int maxConnections, int readTimeoutMillis) {
  public static final TcpPolicy DEFAULT = new TcpPolicy(2_000, 10_000);
}
