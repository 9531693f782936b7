package dev.herald.config;

/**
 * A transport a {@link Listener} can use. The YAML spells them in lower case: {@code udp}, {@code
 * tcp}, {@code tls}.
 */
public enum Transport {
  UDP,
  TCP,
  /** SIP over TLS over TCP (RFC 3261 §26.2, RFC 5630); needs the {@code tls} section. */
  TLS;

  /** Whether the listener takes a TCP port: tcp and tls do, so they cannot share one. */
  public boolean stream() {
    return this != UDP;
  }
}
