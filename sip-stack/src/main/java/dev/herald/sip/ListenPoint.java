package dev.herald.sip;

import java.util.Locale;
import java.util.Objects;

/**
 * One socket Herald listens on.
 *
 * @param transport "udp" or "tcp" (lower case)
 * @param address an IP literal
 * @param port 1..65535
 */
public record ListenPoint(String transport, String address, int port) {
  public ListenPoint {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(address, "address");
    transport = transport.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return transport + " " + address + ":" + port;
  }
}
