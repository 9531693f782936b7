package dev.herald.im.xmpp;

import java.time.Duration;

/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of
 * {@code min × 2ⁿ}, capped at {@code max}, so that many gateways restarted together do not all
 * knock at the same moment ("equal jitter").
 */
record Backoff(Duration min, Duration max) {

  Backoff {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max, was " + min + ", " + max);
    }
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first).
   *
   * @param random a number in [0, 1): where in the jitter range the delay falls
   */
  Duration delay(int attempt, double random) {
    long cap = max.toMillis();
    long base = min.toMillis();
    for (int i = 0; i < attempt && base < cap; i++) {
      base *= 2;
    }
    base = Math.min(base, cap);
    long half = base / 2;
    long jittered = half + (long) (random * (base - half));
    return Duration.ofMillis(Math.max(1, Math.min(jittered, cap)));
  }
}
