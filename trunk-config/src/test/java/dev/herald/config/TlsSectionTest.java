package dev.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tls section (RFC 3261 §26.2): what it becomes, where its paths resolve, what it refuses. */
class TlsSectionTest {

  @Test
  void everyKeyAsWrittenWithPathsResolvedAgainstTheConfigFolder() throws Exception {
    Path file = ConfigValidationTest.fixture("valid/tls.yaml");
    Path folder = file.toAbsolutePath().getParent();

    HeraldConfig config = ConfigLoader.load(file);

    assertEquals(
        List.of(
            new Listener(Transport.UDP, "127.0.0.1", 5060),
            new Listener(Transport.TLS, "127.0.0.1", 5061)),
        config.listeners());
    assertEquals(
        Optional.of(
            new TlsSettings(
                folder.resolve("../tls/herald.p12").normalize(),
                PasswordSource.file(folder.resolve("keystore-password")),
                folder.resolve("../tls/ca.p12").normalize(),
                PasswordSource.env("HERALD_TRUSTSTORE_PASSWORD"),
                ClientAuth.NEED,
                List.of("cucm.example.org", "cucm2.example.org"))),
        config.tls());
  }

  @Test
  void clientAuthDefaultsToNoneAndTheTruststoreIsOptionalThen() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            """
            listeners:
              - {transport: tls, address: 127.0.0.1, port: 5061}
            domains: [herald.test]
            tls:
              keystore: /etc/herald/herald.p12
              keystore-password-env: HERALD_KEYSTORE_PASSWORD
            """,
            "test");

    TlsSettings tls = config.tls().orElseThrow();
    assertEquals(ClientAuth.NONE, tls.clientAuth());
    assertEquals(null, tls.truststore());
    assertEquals(null, tls.truststorePassword());
    assertEquals(List.of(), tls.allowedPeerNames());
    assertEquals(PasswordSource.env("HERALD_KEYSTORE_PASSWORD"), tls.keystorePassword());
  }

  /** The same port for udp and tls is two sockets of different protocols, so it is allowed. */
  @Test
  void udpAndTlsMayShareAPort() throws Exception {
    HeraldConfig config =
        ConfigLoader.parse(
            """
            listeners:
              - {transport: udp, address: 127.0.0.1, port: 5061}
              - {transport: tls, address: 127.0.0.1, port: 5061}
            domains: [herald.test]
            tls: {keystore: herald.p12, keystore-password-env: KS}
            """,
            "test");

    assertEquals(2, config.listeners().size());
  }

  @Test
  void recordsRefuseWhatTheSchemaRefuses() {
    Path ks = Path.of("/k.p12");
    PasswordSource env = PasswordSource.env("KS");
    assertThrows(IllegalArgumentException.class, () -> new PasswordSource(null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TlsSettings(ks, env, null, null, ClientAuth.NEED, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TlsSettings(ks, env, null, null, ClientAuth.NONE, List.of("cucm.example.org")));
  }
}
