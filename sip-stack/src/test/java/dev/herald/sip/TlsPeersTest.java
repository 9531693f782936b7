package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TLS allow list; certificates themselves are exercised by TlsIT in presence-gateway. */
class TlsPeersTest {
  private final TlsPeers peers = new TlsPeers(List.of("CUCM.example.org", "cucm2.example.org"));

  @Test
  void aListedNameIsAllowedIgnoringCase() {
    assertTrue(peers.allowsAny(List.of("other.example.org", "cucm.EXAMPLE.org")));
  }

  @Test
  void namesMustMatchExactly() {
    assertFalse(peers.allowsAny(List.of("*.example.org", "cucm.example.org.evil.test")));
    assertFalse(peers.allowsAny(List.of()));
  }

  @Test
  void noCertificateIsNotAllowed() {
    assertFalse(peers.allows(null));
    assertFalse(peers.allows(new Certificate[0]));
  }
}
