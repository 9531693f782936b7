package dev.herald.config;

import java.util.Objects;

/**
 * One socket Herald listens on.
 *
 * @param transport the transport protocol
 * @param address an IPv4 or IPv6 literal as written in the file; {@code 0.0.0.0} or {@code ::}
 *     means every local address
 * @param port 1..65535
 */
public record Listener(Transport transport, String address, int port) {

  public Listener {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(address, "address");
  }
}
