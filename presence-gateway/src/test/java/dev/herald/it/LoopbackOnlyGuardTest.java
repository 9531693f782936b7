package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fuzz guard lets loopback through and refuses every other destination and DNS lookup. */
class LoopbackOnlyGuardTest {
  private final LoopbackOnlyGuard guard = new LoopbackOnlyGuard();

  @ParameterizedTest(name = "{0}:{1}")
  @CsvSource({
    "127.0.0.1, 5060",
    "127.5.6.7, 5060",
    "::1, 5060",
    "[::1], 5060",
    // lookups that need no DNS
    "localhost, -1",
    "192.0.2.1, -1",
    "2001:db8::1, -1"
  })
  void allows(String host, int port) {
    assertDoesNotThrow(() -> guard.checkConnect(host, port));
  }

  @ParameterizedTest(name = "{0}:{1}")
  @CsvSource({
    "192.0.2.1, 5060",
    "10.0.0.1, 5060",
    "2001:db8::1, 5060",
    "[2001:db8::1], 5060",
    "example.com, 5060",
    "example.com, -1",
    "localhost.example.com, -1"
  })
  void refuses(String host, int port) {
    assertThrows(LoopbackOnlyGuard.Refused.class, () -> guard.checkConnect(host, port));
  }

  @Test
  void refusesMulticast() throws IOException {
    InetAddress group = InetAddress.getByName("224.0.1.75"); // SIP's multicast group
    assertThrows(LoopbackOnlyGuard.Refused.class, () -> guard.checkMulticast(group));
  }

  @Test
  void tellsItsRefusalsAnywhereInTheCauseChain() {
    Exception wrapped =
        new IllegalStateException("send failed", new LoopbackOnlyGuard.Refused("x"));

    assertTrue(LoopbackOnlyGuard.causedBy(wrapped));
    assertFalse(LoopbackOnlyGuard.causedBy(new NullPointerException()));
  }
}
