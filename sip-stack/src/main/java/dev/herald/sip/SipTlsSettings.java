package dev.herald.sip;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the SIP layer needs for its TLS listen points (RFC 3261 §26.2, RFC 5630). Protocol versions
 * and cipher suites are fixed by {@link SipServer}: TLS 1.3 and 1.2, forward-secret suites only.
 *
 * @param keystore a PKCS#12 file with Herald's private key and certificate chain
 * @param keystorePassword the keystore's password, as read from its file or variable
 * @param truststore a PKCS#12 file of the CAs whose certificates are accepted from peers; null to
 *     use the keystore's certificates (JAIN-SIP's fallback), which only suits {@link
 *     ClientAuth#NONE}
 * @param truststorePassword the truststore's password; null exactly when {@code truststore} is
 * @param clientAuth whether peers must present a certificate
 * @param allowedPeerNames when not empty, a request over TLS is answered 403 unless the peer's
 *     certificate carries one of these names as its subject CN or a DNS subject alternative name
 *     (compared ignoring case)
 */
public record SipTlsSettings(
    Path keystore,
    char[] keystorePassword,
    Path truststore,
    char[] truststorePassword,
    ClientAuth clientAuth,
    List<String> allowedPeerNames) {

  /** Whether a TLS peer must present a certificate. */
  public enum ClientAuth {
    NONE,
    WANT,
    NEED
  }

  public SipTlsSettings {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if ((truststore == null) != (truststorePassword == null)) {
      throw new IllegalArgumentException("a truststore goes with its password, and only so");
    }
    allowedPeerNames = allowedPeerNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    if (clientAuth == ClientAuth.NONE && !allowedPeerNames.isEmpty()) {
      throw new IllegalArgumentException("allowed peer names need client auth WANT or NEED");
    }
  }

  /** Leaves the passwords out: this record is logged with the settings. */
  @Override
  public String toString() {
    return "SipTlsSettings[keystore="
        + keystore
        + ", truststore="
        + truststore
        + ", clientAuth="
        + clientAuth
        + ", allowedPeerNames="
        + allowedPeerNames
        + "]";
  }
}
