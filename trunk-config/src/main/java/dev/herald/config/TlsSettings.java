package dev.herald.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5630): Herald's certificate and which peers it accepts. The
 * protocol versions and cipher suites are not configurable: TLS 1.3 and 1.2 with forward-secret
 * suites only.
 *
 * @param keystore a PKCS#12 file with Herald's private key and certificate chain, resolved against
 *     the configuration file's folder
 * @param keystorePassword where the keystore's password is read at start-up
 * @param truststore a PKCS#12 file of the CAs whose client certificates are accepted, resolved like
 *     the keystore; null when not given, which {@code clientAuth} NONE requires
 * @param truststorePassword where the truststore's password is read; null exactly when {@code
 *     truststore} is
 * @param clientAuth whether peers must present a certificate
 * @param allowedPeerNames lower-cased host names; when not empty, a peer's certificate must carry
 *     one of them as its subject CN or a DNS subject alternative name. Empty unless {@code
 *     clientAuth} asks for certificates
 */
public record TlsSettings(
    Path keystore,
    PasswordSource keystorePassword,
    Path truststore,
    PasswordSource truststorePassword,
    ClientAuth clientAuth,
    List<String> allowedPeerNames) {

  public TlsSettings {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(clientAuth, "clientAuth");
    allowedPeerNames = List.copyOf(allowedPeerNames);
    if ((truststore == null) != (truststorePassword == null)) {
      throw new IllegalArgumentException("a truststore goes with its password source, and only so");
    }
    if (clientAuth != ClientAuth.NONE && truststore == null) {
      throw new IllegalArgumentException("client-auth " + clientAuth + " needs a truststore");
    }
    if (clientAuth == ClientAuth.NONE && !allowedPeerNames.isEmpty()) {
      throw new IllegalArgumentException("allowed peer names need client-auth want or need");
    }
  }
}
