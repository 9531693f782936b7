package dev.herald.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made at test time with the JDK's keytool, and the PKCS#12 stores signed
 * by it: nothing secret is committed, and everything lives in a folder the test deletes. The keys
 * are RSA, so that a test can show an RSA key exchange suite is refused by Herald's configuration
 * rather than made impossible by the key type.
 */
final class ThrowawayPki {
  /** The password of every store made here: they are thrown away with the folder. */
  static final String PASSWORD = "throwaway-test-password";

  private final Path dir;
  private final Path caStore;
  private final Path caCertificate;

  private ThrowawayPki(Path dir) {
    this.dir = dir;
    this.caStore = dir.resolve("ca-key.p12");
    this.caCertificate = dir.resolve("ca.pem");
  }

  /** A new CA in {@code dir}, valid for two days. */
  static ThrowawayPki create(Path dir) throws IOException {
    ThrowawayPki pki = new ThrowawayPki(dir);
    pki.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=Herald Throwaway Test CA",
        "-ext",
        "bc:c",
        "-keystore",
        pki.caStore.toString());
    pki.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        pki.caStore.toString(),
        "-file",
        pki.caCertificate.toString());
    return pki;
  }

  /** A truststore holding only this CA's certificate. */
  Path truststore() throws IOException {
    Path store = dir.resolve("truststore.p12");
    if (!Files.exists(store)) {
      keytool(
          "-importcert",
          "-noprompt",
          "-alias",
          "ca",
          "-file",
          caCertificate.toString(),
          "-keystore",
          store.toString());
    }
    return store;
  }

  /**
   * A keystore with a key for {@code commonName} and its certificate signed by this CA, the chain
   * complete.
   *
   * @param dnsNames the certificate's DNS subject alternative names; none when empty
   */
  Path keystore(String commonName, String... dnsNames) throws IOException {
    Path store = dir.resolve(commonName + ".p12");
    Path request = dir.resolve(commonName + ".csr");
    Path certificate = dir.resolve(commonName + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        "key",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=" + commonName,
        "-keystore",
        store.toString());
    keytool(
        "-certreq", "-alias", "key", "-keystore", store.toString(), "-file", request.toString());
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                caStore.toString(),
                "-validity",
                "2",
                "-infile",
                request.toString(),
                "-outfile",
                certificate.toString(),
                "-rfc"));
    if (dnsNames.length > 0) {
      sign.add("-ext");
      sign.add("san=dns:" + String.join(",dns:", dnsNames));
    }
    keytool(sign.toArray(String[]::new));
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caCertificate.toString(),
        "-keystore",
        store.toString());
    keytool(
        "-importcert",
        "-alias",
        "key",
        "-file",
        certificate.toString(),
        "-keystore",
        store.toString());
    return store;
  }

  /** A file holding the stores' password, as {@code keystore-password-file} names one. */
  Path passwordFile() throws IOException {
    return Files.writeString(dir.resolve("store-password"), PASSWORD + "\n");
  }

  /** A client context that trusts this CA and, when {@code keystore} is not null, presents it. */
  SSLContext clientContext(Path keystore) throws IOException, GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(truststore()));
    KeyManagerFactory keys = null;
    if (keystore != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keystore), PASSWORD.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    if (List.of(args).contains("-genkeypair")) {
      command.addAll(List.of("-keypass", PASSWORD));
    }
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }
}
