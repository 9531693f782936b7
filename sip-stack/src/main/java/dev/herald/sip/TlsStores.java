package dev.herald.sip;

import dev.herald.sip.SipServer.SipStartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Opens the keystore and truststore before JAIN-SIP does: the stack logs a store it cannot read and
 * starts without TLS, so Herald checks them itself and fails with a message that names the file.
 */
final class TlsStores {
  static final String TYPE = "PKCS12";

  private TlsStores() {}

  static void check(SipTlsSettings tls) throws SipStartException {
    KeyStore keys = load("keystore", tls.keystore(), tls.keystorePassword());
    if (!hasEntry(keys, true)) {
      throw new SipStartException(
          "the TLS keystore " + tls.keystore() + " holds no private key and certificate", null);
    }
    if (tls.truststore() != null) {
      KeyStore trust = load("truststore", tls.truststore(), tls.truststorePassword());
      if (!hasEntry(trust, false)) {
        throw new SipStartException(
            "the TLS truststore " + tls.truststore() + " holds no trusted certificate", null);
      }
    }
  }

  private static KeyStore load(String what, Path file, char[] password) throws SipStartException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(TYPE);
      store.load(in, password);
      return store;
    } catch (NoSuchFileException e) {
      throw new SipStartException("cannot read the TLS " + what + " " + file + ": no such file", e);
    } catch (IOException | GeneralSecurityException e) {
      // A wrong password shows as an IOException whose cause is UnrecoverableKeyException.
      throw new SipStartException(
          "cannot read the TLS " + what + " " + file + " as PKCS#12: " + e.getMessage(), e);
    }
  }

  private static boolean hasEntry(KeyStore store, boolean privateKey) throws SipStartException {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (privateKey ? store.isKeyEntry(alias) : store.isCertificateEntry(alias)) {
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException e) {
      throw new SipStartException("cannot list the entries of a TLS store: " + e.getMessage(), e);
    }
  }
}
