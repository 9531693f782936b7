package dev.herald.sip;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SIP layer needs to start.
 *
 * @param listenPoints sockets to open
 * @param domains the domains Herald serves; a request for another domain gets 404
 * @param threadPoolSize JAIN-SIP's message processing threads
 * @param maxMessageSize largest message accepted on a stream transport, in bytes
 * @param trace log every message in and out on the logger {@code dev.herald.sip.trace}
 * @param product the value of {@code Server} and {@code User-Agent}
 * @param tls the keystore and peer rules of the tls listen points; present exactly when there is
 *     one
 */
public record SipServerSettings(
    List<ListenPoint> listenPoints,
    List<String> domains,
    int threadPoolSize,
    int maxMessageSize,
    boolean trace,
    String product,
    Optional<SipTlsSettings> tls) {

  public SipServerSettings {
    listenPoints = List.copyOf(listenPoints);
    domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    Objects.requireNonNull(tls, "tls");
    if (listenPoints.isEmpty()) {
      throw new IllegalArgumentException("at least one listen point is needed");
    }
    if (threadPoolSize < 1) {
      throw new IllegalArgumentException("threadPoolSize must be positive, was " + threadPoolSize);
    }
    boolean tlsPoint = listenPoints.stream().anyMatch(ListenPoint::tls);
    if (tlsPoint != tls.isPresent()) {
      throw new IllegalArgumentException(
          tlsPoint ? "a tls listen point needs TLS settings" : "TLS settings without a tls point");
    }
  }
}
