package dev.herald.config;

/** Whether a TLS peer must present a certificate (RFC 5630 §3.2: mutual TLS between servers). */
public enum ClientAuth {
  /** No certificate is asked for. */
  NONE,
  /** A certificate is asked for; a peer without one still connects. */
  WANT,
  /** A peer without a certificate the truststore vouches for fails the handshake. */
  NEED
}
