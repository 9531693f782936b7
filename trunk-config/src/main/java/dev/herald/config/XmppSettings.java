package dev.herald.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The IM gateway's connection to an XMPP server, as an XEP-0114 external component, and how the
 * addresses of the two worlds correspond (RFC 7247).
 *
 * @param host the XMPP server's component port's address: an IP literal or a host name
 * @param port the XMPP server's component port (XEP-0114 has no registered port; Prosody and
 *     ejabberd listen on 5347 by convention)
 * @param componentDomain the domain the XMPP server routes to Herald, in which SIP users appear as
 *     JIDs, lower-cased
 * @param secret where the component's shared secret is read when Herald starts; never the YAML
 * @param domains SIP domain to XMPP domain, lower-cased, in the file's order: the first is the home
 *     domain. One to one: no XMPP domain twice, none equal to {@code componentDomain}. Never empty
 * @param reconnectMinDelayMs the first delay before reconnecting after the connection is lost
 * @param reconnectMaxDelayMs the bound the delay doubles up to; at least {@code
 *     reconnectMinDelayMs}
 * @param subscribeLingerSeconds how long the gateway's XMPP subscription to an XMPP user outlives
 *     the last SIP watcher of that user, 0..3600
 * @param messageErrorWaitMs how long a SIP MESSAGE sent on to XMPP waits for an XMPP error before
 *     its sender gets 202 (0..10000); an error that comes later reaches the sender as a MESSAGE
 */
public record XmppSettings(
    String host,
    int port,
    String componentDomain,
    PasswordSource secret,
    Map<String, String> domains,
    int reconnectMinDelayMs,
    int reconnectMaxDelayMs,
    int subscribeLingerSeconds,
    int messageErrorWaitMs) {

  /** The default of {@code xmpp.subscribe-linger}, as the trunks' back-end subscriptions. */
  public static final int DEFAULT_SUBSCRIBE_LINGER = 30;

  /** The default of {@code message-error-wait-ms}. */
  public static final int DEFAULT_MESSAGE_ERROR_WAIT_MS = 200;

  /** Settings with the default {@code subscribe-linger} and message error wait. */
  public XmppSettings(
      String host,
      int port,
      String componentDomain,
      PasswordSource secret,
      Map<String, String> domains,
      int reconnectMinDelayMs,
      int reconnectMaxDelayMs) {
    this(
        host,
        port,
        componentDomain,
        secret,
        domains,
        reconnectMinDelayMs,
        reconnectMaxDelayMs,
        DEFAULT_SUBSCRIBE_LINGER,
        DEFAULT_MESSAGE_ERROR_WAIT_MS);
  }

  public XmppSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(componentDomain, "componentDomain");
    Objects.requireNonNull(secret, "secret");
    domains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(domains));
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("at least one SIP domain must map to an XMPP domain");
    }
    if (domains.values().stream().distinct().count() != domains.size()) {
      throw new IllegalArgumentException("two SIP domains map to one XMPP domain: " + domains);
    }
    if (domains.containsValue(componentDomain)) {
      throw new IllegalArgumentException("the component domain is not an XMPP users' domain");
    }
    if (reconnectMinDelayMs < 1 || reconnectMaxDelayMs < reconnectMinDelayMs) {
      throw new IllegalArgumentException(
          "reconnect delays must be 1 <= min <= max, were "
              + reconnectMinDelayMs
              + " and "
              + reconnectMaxDelayMs);
    }
    if (subscribeLingerSeconds < 0 || subscribeLingerSeconds > 3_600) {
      throw new IllegalArgumentException(
          "subscribe-linger must be 0..3600, was " + subscribeLingerSeconds);
    }
    if (messageErrorWaitMs < 0 || messageErrorWaitMs > 10_000) {
      throw new IllegalArgumentException(
          "the message error wait must be 0..10000 ms, was " + messageErrorWaitMs);
    }
  }
}
