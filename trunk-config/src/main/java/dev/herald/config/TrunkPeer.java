package dev.herald.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One address of a {@link Trunk}: where Herald sends its OPTIONS pings, and a source whose requests
 * Herald does not challenge.
 *
 * @param host an IPv4 or IPv6 literal (host names are not resolved)
 * @param port 1..65535
 * @param transport how Herald reaches it; Herald needs a listener of the same transport
 */
public record TrunkPeer(String host, int port, Transport transport) {

  public TrunkPeer {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(transport, "transport");
    if (IpLiterals.parse(host) == null) {
      throw new IllegalArgumentException("not an IP literal: " + host);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /** {@code 192.0.2.10:5060/udp}, {@code [2001:db8::1]:5061/tls}: how logs name the peer. */
  @Override
  public String toString() {
    String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return shown + ":" + port + "/" + transport.name().toLowerCase(Locale.ROOT);
  }
}
