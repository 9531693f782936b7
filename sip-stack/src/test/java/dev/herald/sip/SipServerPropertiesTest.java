package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JAIN-SIP properties Herald sets for TLS (FIELD-NOTES, "JAIN-SIP RI"). */
class SipServerPropertiesTest {

  private static SipServerSettings settings(SipTlsSettings tls) {
    return new SipServerSettings(
        List.of(new ListenPoint("tls", "127.0.0.1", 5061)),
        List.of("herald.test"),
        4,
        65_536,
        false,
        "Herald/test",
        Optional.of(tls));
  }

  /** JAIN-SIP's defaults are TLSv1..1.2 and RSA/3DES/anonymous suites; none of that may remain. */
  @Test
  void protocolsAndSuitesAreSetWithoutATlsListenPointToo() {
    Properties p = SipServer.stackProperties(LoopbackSettings.udp(5060));

    assertEquals("TLSv1.3,TLSv1.2", p.getProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS"));
    for (String suite : p.getProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES").split(",")) {
      boolean tls13 = suite.matches("TLS_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+");
      boolean ecdheAead =
          suite.matches("TLS_ECDHE_(RSA|ECDSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+");
      assertEquals(true, tls13 || ecdheAead, suite);
    }
    assertNull(p.getProperty("javax.net.ssl.keyStore"));
  }

  /** JAIN-SIP's defaults are no connection limit and no read timeout. */
  @Test
  void tcpLimitsAreSet() {
    Properties p = SipServer.stackProperties(LoopbackSettings.udp(5060), new TcpLimits(300, 2_500));

    assertEquals("300", p.getProperty("gov.nist.javax.sip.MAX_CONNECTIONS"));
    assertEquals("2500", p.getProperty("gov.nist.javax.sip.READ_TIMEOUT"));
    assertEquals(
        "2000",
        SipServer.stackProperties(LoopbackSettings.udp(5060))
            .getProperty("gov.nist.javax.sip.MAX_CONNECTIONS"));
  }

  /** The stock UDP processor queues a 64 KiB array per datagram (BENCHMARKS.md). */
  @Test
  void udpDatagramsGoThroughTheCompactProcessor() {
    Properties p = SipServer.stackProperties(LoopbackSettings.udp(5060));

    assertEquals(
        "gov.nist.javax.sip.stack.CompactDatagramProcessorFactory",
        p.getProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY"));
  }

  @ParameterizedTest
  @CsvSource({"NONE, Disabled", "WANT, Want", "NEED, Enabled"})
  void clientAuthMapsToJainSipNames(SipTlsSettings.ClientAuth clientAuth, String property) {
    SipTlsSettings tls =
        new SipTlsSettings(
            Path.of("/k.p12"),
            "ks".toCharArray(),
            Path.of("/t.p12"),
            "ts".toCharArray(),
            clientAuth,
            List.of());

    Properties p = SipServer.stackProperties(settings(tls));

    assertEquals(property, p.getProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE"));
    assertEquals("/k.p12", p.getProperty("javax.net.ssl.keyStore"));
    assertEquals("ks", p.getProperty("javax.net.ssl.keyStorePassword"));
    assertEquals("PKCS12", p.getProperty("javax.net.ssl.keyStoreType"));
    assertEquals("/t.p12", p.getProperty("javax.net.ssl.trustStore"));
    assertEquals("ts", p.getProperty("javax.net.ssl.trustStorePassword"));
    assertEquals("PKCS12", p.getProperty("javax.net.ssl.trustStoreType"));
  }
}
