package dev.herald.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-nonce count table (RFC 7616 §3.4, §5.4): strictly increasing, bounded, expiring. */
class NonceCountsTest {
  private final AtomicLong now = new AtomicLong(1_000_000L);

  @Test
  void aCountIsAcceptedOnceAndOnlyUpwards() {
    NonceCounts counts = new NonceCounts(Duration.ofSeconds(30), 100, now::get);
    assertTrue(counts.advance("n", 1));
    assertFalse(counts.advance("n", 1));
    assertTrue(counts.advance("n", 5));
    assertFalse(counts.advance("n", 3));
    assertTrue(counts.advance("m", 1), "another nonce counts on its own");
  }

  @Test
  void entriesExpireWithTheNonceLifetime() {
    NonceCounts counts = new NonceCounts(Duration.ofSeconds(30), 100, now::get);
    counts.advance("n", 7);
    now.addAndGet(30_000);
    counts.cleanUp();
    assertEquals(1, counts.size());
    now.addAndGet(1);
    counts.cleanUp();
    assertEquals(0, counts.size());
  }

  @Test
  void theTableIsBounded() {
    NonceCounts counts = new NonceCounts(Duration.ofSeconds(30), 10, now::get);
    for (int i = 0; i < 100; i++) {
      counts.advance("n" + i, 1);
    }
    counts.cleanUp();
    assertTrue(counts.size() <= 10, "size " + counts.size());
  }
}
