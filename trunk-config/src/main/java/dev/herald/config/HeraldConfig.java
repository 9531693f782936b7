package dev.herald.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole of {@code herald.yaml}, as {@link ConfigLoader} returns it after validation.
 *
 * @param listeners where Herald accepts SIP traffic; never empty, no two overlapping
 * @param domains the DNS host names Herald serves, lower-cased; never empty, no duplicates
 * @param sip settings of the SIP stack
 * @param presence limits and timers of the presence engine
 * @param security digest authentication: realm, trusted peers, nonces, algorithms
 * @param directory where the users come from; {@link DirectoryConfig#none()} when the file has no
 *     {@code directory} section
 * @param registrar limits of the registrar
 * @param tls Herald's certificate and the peers it accepts over TLS; present exactly when a
 *     listener uses {@link Transport#TLS}
 * @param trunks the SIP trunks (CUCM); empty when the file has no {@code trunks} list
 * @param xmpp the IM gateway's XMPP server and address mapping; empty when the file has no {@code
 *     xmpp} section, and then Herald runs no gateway
 */
public record HeraldConfig(
    List<Listener> listeners,
    List<String> domains,
    SipSettings sip,
    PresencePolicy presence,
    SecurityPolicy security,
    DirectoryConfig directory,
    RegistrarPolicy registrar,
    Optional<TlsSettings> tls,
    List<Trunk> trunks,
    Optional<XmppSettings> xmpp) {

  public HeraldConfig {
    listeners = List.copyOf(listeners);
    domains = List.copyOf(domains);
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(registrar, "registrar");
    Objects.requireNonNull(tls, "tls");
    trunks = List.copyOf(trunks);
    Objects.requireNonNull(xmpp, "xmpp");
    boolean tlsListener = listeners.stream().anyMatch(l -> l.transport() == Transport.TLS);
    if (tlsListener != tls.isPresent()) {
      throw new IllegalArgumentException("TLS settings go with a tls listener, and only so");
    }
  }

  /**
   * Whether requests from {@code address} go unchallenged: it is in {@code security.trusted-peers}
   * or it is the host of a trunk's peer.
   */
  public boolean trusts(InetAddress address) {
    if (security.trusts(address)) {
      return true;
    }
    for (Trunk trunk : trunks) {
      for (TrunkPeer peer : trunk.peers()) {
        if (IpLiterals.parse(peer.host()).equals(address)) {
          return true;
        }
      }
    }
    return false;
  }
}
