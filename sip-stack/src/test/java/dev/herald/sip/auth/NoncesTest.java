package dev.herald.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Stateless nonces: ours, theirs, fresh and stale (RFC 7616 §3.3). */
class NoncesTest {
  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String URL_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final Nonces nonces = new Nonces(SECRET, "herald.test", Duration.ofSeconds(30), now::get);

  @Test
  void freshUntilTheLifetimeHasPassed() {
    String n = nonces.issue();
    assertEquals(Nonces.Status.FRESH, nonces.check(n));
    now.addAndGet(30_000);
    assertEquals(Nonces.Status.FRESH, nonces.check(n));
    now.addAndGet(1);
    assertEquals(Nonces.Status.STALE, nonces.check(n));
  }

  @Test
  void aNonceFromTheFutureIsStale() {
    String n = nonces.issue();
    now.addAndGet(-1);
    assertEquals(Nonces.Status.STALE, nonces.check(n));
  }

  @Test
  void everyNonceIsNew() {
    assertNotEquals(nonces.issue(), nonces.issue());
  }

  @Test
  void anotherSecretsNonceIsForeign() {
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    String theirs = new Nonces(other, "herald.test", Duration.ofSeconds(30), now::get).issue();
    assertEquals(Nonces.Status.FOREIGN, nonces.check(theirs));
  }

  @Test
  void anotherRealmsNonceIsForeignEvenWithTheSameSecret() {
    String theirs = new Nonces(SECRET, "other.test", Duration.ofSeconds(30), now::get).issue();
    assertEquals(Nonces.Status.FOREIGN, nonces.check(theirs));
  }

  @Test
  void everyChangedCharacterMakesItForeign() {
    String n = nonces.issue();
    for (int i = 0; i < n.length(); i++) {
      int v = URL_ALPHABET.indexOf(n.charAt(i));
      char changed = URL_ALPHABET.charAt(v ^ 1);
      String tampered = n.substring(0, i) + changed + n.substring(i + 1);
      assertEquals(Nonces.Status.FOREIGN, nonces.check(tampered), "changed at " + i);
    }
  }

  @Test
  void garbageIsForeign() {
    String n = nonces.issue();
    assertEquals(Nonces.Status.FOREIGN, nonces.check(""));
    assertEquals(Nonces.Status.FOREIGN, nonces.check("abc"));
    assertEquals(Nonces.Status.FOREIGN, nonces.check(n + "A"));
    assertEquals(Nonces.Status.FOREIGN, nonces.check(n.substring(1)));
    assertEquals(Nonces.Status.FOREIGN, nonces.check("*".repeat(n.length())));
    assertEquals(Nonces.Status.FOREIGN, nonces.check("=".repeat(n.length())));
  }
}
