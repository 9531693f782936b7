package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5630): TLS 1.3 and 1.2 with forward-secret suites only, client
 * certificates and the allow list of peer names. Debian's SIPp has no TLS, so the client is a Java
 * SSLSocket; the certificates come from a CA made for the run ({@link ThrowawayPki}).
 */
class TlsIT {
  private static final String DOMAIN = "herald.test";
  private static final String ALLOWED = "cucm.example.org";

  static {
    // The JDK's own list would stop this test's client from offering TLS 1.0/1.1 at all; without
    // them, a refusal can only come from Herald's configuration. The rest of the list is kept.
    Security.setProperty(
        "jdk.tls.disabledAlgorithms",
        "SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224,"
            + " 3DES_EDE_CBC, anon, NULL, ECDH");
  }

  @TempDir static Path dir;

  private static ThrowawayPki pki;
  private static int port;
  private static int tlsPort;
  private static int mutualTlsPort;
  private static Herald herald;
  private static Herald mutual;

  @BeforeAll
  static void start() throws Exception {
    pki = ThrowawayPki.create(dir);
    pki.keystore(DOMAIN, DOMAIN);
    pki.truststore();
    pki.passwordFile();
    port = LoopbackPorts.freeUdpAndTcpPort();
    tlsPort = otherPort(port);
    mutualTlsPort = otherPort(port, tlsPort);
    herald =
        Herald.start(
            config(
                    """
                listeners:
                  - {transport: udp, address: 127.0.0.1, port: %1$d}
                  - {transport: tcp, address: 127.0.0.1, port: %1$d}
                  - {transport: tls, address: 127.0.0.1, port: %2$d}
                """
                    .formatted(port, tlsPort),
                ""));
    mutual =
        Herald.start(
            config(
                "listeners:\n  - {transport: tls, address: 127.0.0.1, port: %d}\n"
                    .formatted(mutualTlsPort),
                    """
                  truststore: truststore.p12
                  truststore-password-file: store-password
                  client-auth: need
                  allowed-peer-names: [%s]
                """
                    .formatted(ALLOWED)));
  }

  @AfterAll
  static void stop() {
    if (herald != null) {
      herald.shutdown(Duration.ofSeconds(1));
    }
    if (mutual != null) {
      mutual.shutdown(Duration.ofSeconds(1));
    }
  }

  @Test
  void optionsOverTls13IsAnswered200() throws Exception {
    Exchange exchange = options(pki.clientContext(null), tlsPort, "TLSv1.3", null);

    assertEquals("SIP/2.0 200 OK", exchange.statusLine());
    assertEquals("TLSv1.3", exchange.protocol());
  }

  /** TLS 1.2 with an ECDHE suite is accepted, so the refusals below are about what they change. */
  @Test
  void tls12WithAnEcdheSuiteIsAnswered200() throws Exception {
    Exchange exchange =
        options(
            pki.clientContext(null), tlsPort, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    assertEquals("SIP/2.0 200 OK", exchange.statusLine());
    assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", exchange.cipherSuite());
  }

  /** RFC 8996: no TLS 1.1. The alert comes from Herald: this client offers TLS 1.1 (see above). */
  @Test
  void tls11IsRefusedByTheServer() throws Exception {
    SSLContext context = pki.clientContext(null);

    SSLException e =
        assertThrows(SSLException.class, () -> options(context, tlsPort, "TLSv1.1", null));
    assertTrue(e.getMessage().contains("Received fatal alert"), e::toString);
  }

  /**
   * RSA key exchange has no forward secrecy; the server has no suite in common with this client.
   */
  @Test
  void rsaKeyExchangeIsRefusedByTheServer() throws Exception {
    SSLContext context = pki.clientContext(null);

    SSLException e =
        assertThrows(
            SSLException.class,
            () -> options(context, tlsPort, "TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"));
    assertTrue(e.getMessage().contains("Received fatal alert: handshake_failure"), e::toString);
  }

  /** The udp and tcp listeners of the same Herald still work beside the tls one. */
  @ParameterizedTest
  @EnumSource(SippTransport.class)
  void udpAndTcpListenersStillAnswer(SippTransport transport) {
    SippResult r =
        Sipp.scenario("options")
            .remote("127.0.0.1", port)
            .transport(transport)
            .key("domain", DOMAIN)
            .timeout(Duration.ofSeconds(20))
            .calls(1)
            .run()
            .assertPassed();
    assertEquals(1, r.received("200"), r.describe());
  }

  @Test
  void allowedPeerIsAnswered200() throws Exception {
    Path client = pki.keystore(ALLOWED, ALLOWED);

    Exchange exchange = options(pki.clientContext(client), mutualTlsPort, "TLSv1.3", null);

    assertEquals("SIP/2.0 200 OK", exchange.statusLine());
  }

  /** The allowed name may be a DNS subject alternative name only, with another CN. */
  @Test
  void peerAllowedBySubjectAlternativeNameIsAnswered200() throws Exception {
    Path client = pki.keystore("trunk-7", "trunk-7.example.org", ALLOWED);

    Exchange exchange = options(pki.clientContext(client), mutualTlsPort, "TLSv1.2", null);

    assertEquals("SIP/2.0 200 OK", exchange.statusLine());
  }

  /**
   * client-auth need: no certificate, no answer. TLS 1.2 fails the handshake itself; TLS 1.3 lets
   * the client finish first (RFC 8446 §4.4.2.4), so the refusal shows as the connection failing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void peerWithoutCertificateGetsNoAnswer(String protocol) throws Exception {
    SSLContext context = pki.clientContext(null);

    assertThrows(IOException.class, () -> options(context, mutualTlsPort, protocol, null));
  }

  @Test
  void peerWhoseNameIsNotAllowedIsForbidden() throws Exception {
    Path client = pki.keystore("rogue.example.org", "rogue.example.org");

    Exchange exchange = options(pki.clientContext(client), mutualTlsPort, "TLSv1.3", null);

    assertEquals("SIP/2.0 403 Forbidden (TLS peer not allowed)", exchange.statusLine());
  }

  @Test
  void wrongKeystorePasswordStopsStartUp() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
    var config =
        ConfigLoader.parse(
                """
            listeners: [{transport: tls, address: 127.0.0.1, port: %d}]
            domains: [%s]
            tls: {keystore: %s.p12, keystore-password-file: %s}
            """
                .formatted(otherPort(port, tlsPort, mutualTlsPort), DOMAIN, DOMAIN, wrong),
            "wrong-password config",
            dir);

    Herald.HeraldStartException e =
        assertThrows(Herald.HeraldStartException.class, () -> Herald.start(config));
    assertTrue(e.getMessage().contains("cannot read the TLS keystore"), e::getMessage);
    assertTrue(e.getMessage().contains(DOMAIN + ".p12"), e::getMessage);
  }

  @Test
  void unsetPasswordVariableStopsStartUp() throws Exception {
    var config =
        ConfigLoader.parse(
                """
            listeners: [{transport: tls, address: 127.0.0.1, port: %d}]
            domains: [%s]
            tls: {keystore: %s.p12, keystore-password-env: HERALD_TLS_IT_UNSET_VARIABLE}
            """
                .formatted(otherPort(port, tlsPort, mutualTlsPort), DOMAIN, DOMAIN),
            "unset-variable config",
            dir);

    Herald.HeraldStartException e =
        assertThrows(Herald.HeraldStartException.class, () -> Herald.start(config));
    assertEquals(
        "the TLS keystore password is to come from environment variable"
            + " HERALD_TLS_IT_UNSET_VARIABLE, which is not set",
        e.getMessage());
  }

  private static dev.herald.config.HeraldConfig config(String listeners, String tlsExtra)
      throws Exception {
    return ConfigLoader.parse(
        listeners
            +
                """
            domains: [%1$s]
            security:
              trusted-peers: [127.0.0.1]
            tls:
              keystore: %1$s.p12
              keystore-password-file: store-password
            """
                .formatted(DOMAIN)
            + tlsExtra,
        "tls integration-test config",
        dir);
  }

  /** A free loopback port other than {@code taken}. */
  private static int otherPort(int... taken) {
    while (true) {
      int candidate = LoopbackPorts.freeUdpAndTcpPort();
      if (java.util.Arrays.stream(taken).noneMatch(p -> p == candidate)) {
        return candidate;
      }
    }
  }

  /** What one OPTIONS over TLS got: the response's status line and the session's parameters. */
  record Exchange(String statusLine, String protocol, String cipherSuite) {}

  /**
   * Sends one OPTIONS over a new TLS connection and reads the status line of the answer.
   *
   * @param protocol the only protocol the client offers
   * @param cipherSuite the only suite the client offers; null for the JDK's defaults
   */
  private static Exchange options(
      SSLContext context, int tlsPort, String protocol, String cipherSuite) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
      socket.setSoTimeout(10_000);
      socket.setEnabledProtocols(new String[] {protocol});
      if (cipherSuite != null) {
        socket.setEnabledCipherSuites(new String[] {cipherSuite});
      }
      socket.startHandshake();
      String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
      String request =
          "OPTIONS sip:"
              + DOMAIN
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/TLS 127.0.0.1:"
              + socket.getLocalPort()
              + ";branch="
              + branch
              + "\r\n"
              + "Max-Forwards: 70\r\n"
              + "From: <sip:tls-it@"
              + DOMAIN
              + ">;tag="
              + branch.substring(7, 15)
              + "\r\n"
              + "To: <sip:"
              + DOMAIN
              + ">\r\n"
              + "Call-ID: "
              + UUID.randomUUID()
              + "\r\n"
              + "CSeq: 1 OPTIONS\r\n"
              + "Content-Length: 0\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      if (statusLine == null) {
        throw new IOException("the connection closed before an answer");
      }
      return new Exchange(
          statusLine, socket.getSession().getProtocol(), socket.getSession().getCipherSuite());
    }
  }
}
