package dev.herald.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;

  private SourceRateLimiter limiter(int perSecond, int burst) {
    return new SourceRateLimiter(
        new RateLimit(perSecond, burst), source -> source.equals("192.0.2.10"), ticker);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aBurstIsTakenThenTheRateHolds() {
    SourceRateLimiter l = limiter(10, 3);
    assertTrue(l.allow("198.51.100.1"));
    assertTrue(l.allow("198.51.100.1"));
    assertTrue(l.allow("198.51.100.1"));
    assertFalse(l.allow("198.51.100.1"), "the burst is spent");

    advance(Duration.ofMillis(100));
    assertTrue(l.allow("198.51.100.1"), "one token back after 1/10 s");
    assertFalse(l.allow("198.51.100.1"));
    assertEquals(2, l.refused());
  }

  @Test
  void sourcesAreCountedApart() {
    SourceRateLimiter l = limiter(1, 1);
    assertTrue(l.allow("198.51.100.1"));
    assertFalse(l.allow("198.51.100.1"));
    assertTrue(l.allow("198.51.100.2"));
  }

  @Test
  void exemptSourcesAndNoLimitAreNeverRefused() {
    SourceRateLimiter l = limiter(1, 1);
    for (int i = 0; i < 100; i++) {
      assertTrue(l.allow("192.0.2.10"));
    }
    SourceRateLimiter off = new SourceRateLimiter(RateLimit.NONE, source -> false, ticker);
    for (int i = 0; i < 100; i++) {
      assertTrue(off.allow("198.51.100.1"));
    }
  }

  @Test
  void aLongPauseRefillsOnlyUpToTheBurst() {
    SourceRateLimiter l = limiter(100, 2);
    advance(Duration.ofHours(1));
    assertTrue(l.allow("198.51.100.1"));
    assertTrue(l.allow("198.51.100.1"));
    assertFalse(l.allow("198.51.100.1"));
  }

  @Test
  void limitsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit(10, 0));
  }
}
