package dev.herald.sip;

import java.util.Locale;
import java.util.Objects;

/**
 * One socket Herald listens on.
 *
 * @param transport "udp", "tcp" or "tls" (lower case)
 * @param address an IP literal
 * @param port 1..65535
 */
public record ListenPoint(String transport, String address, int port) {
  public ListenPoint {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(address, "address");
    transport = transport.toLowerCase(Locale.ROOT);
    if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
      throw new IllegalArgumentException("transport must be udp, tcp or tls, was " + transport);
    }
  }

  /** Whether this is SIP over TLS (RFC 3261 §26.2). */
  public boolean tls() {
    return transport.equals("tls");
  }

  @Override
  public String toString() {
    return transport + " " + address + ":" + port;
  }
}
