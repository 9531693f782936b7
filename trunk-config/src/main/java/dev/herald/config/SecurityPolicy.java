package dev.herald.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * How Herald challenges requests (digest authentication, RFC 3261 §22 and RFC 8760).
 *
 * @param realm the digest realm; the first of the domains when the file gives none
 * @param trustedPeers IP literals and CIDR blocks ({@code 10.1.0.0/16}) as written in the file,
 *     whose requests are not challenged (CUCM trunks); may be empty, no duplicates
 * @param nonceLifetimeSeconds how long a nonce is accepted, 10..86400
 * @param algorithms the digest algorithms offered, in the order of the challenges: {@code SHA-256},
 *     {@code MD5}; never empty, no duplicates
 */
public record SecurityPolicy(
    String realm, List<String> trustedPeers, int nonceLifetimeSeconds, List<String> algorithms) {

  public SecurityPolicy {
    Objects.requireNonNull(realm, "realm");
    trustedPeers = List.copyOf(trustedPeers);
    algorithms = List.copyOf(algorithms);
    for (String peer : trustedPeers) {
      if (AddressBlock.parse(peer) == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + peer);
      }
    }
  }

  /** Whether requests from {@code address} go unchallenged: it is in one of the trusted peers. */
  public boolean trusts(InetAddress address) {
    Objects.requireNonNull(address, "address");
    for (String peer : trustedPeers) {
      if (AddressBlock.parse(peer).contains(address)) {
        return true;
      }
    }
    return false;
  }
}
