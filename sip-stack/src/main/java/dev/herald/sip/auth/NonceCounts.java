package dev.herald.sip.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The highest nonce count seen per nonce, for replay protection with qop=auth (RFC 7616 §3.4,
 * §5.4): a count is accepted once, and only if it is higher than every count accepted before for
 * that nonce.
 *
 * <p>An entry lives as long as its nonce can be fresh: it is written after the nonce was issued and
 * expires a lifetime and a millisecond after its last write (Caffeine expires an entry when the
 * full duration has passed, a nonce is fresh up to and including its lifetime). A stale nonce is
 * refused before this table is asked. The table is bounded: when it is full, Caffeine evicts
 * entries before they expire, and a nonce whose entry was evicted can be replayed until it goes
 * stale. Only authenticated requests add entries, so filling the table takes that many valid logins
 * within one lifetime.
 */
final class NonceCounts {
  private final Cache<String, Long> highest;

  NonceCounts(Duration lifetime, long maximumSize, LongSupplier clockMillis) {
    this.highest =
        Caffeine.newBuilder()
            .expireAfterWrite(lifetime.plusMillis(1))
            .maximumSize(maximumSize)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clockMillis.getAsLong()))
            .executor(Runnable::run)
            .build();
  }

  /** Records {@code nc} for {@code nonce}; false when it is not higher than the highest so far. */
  boolean advance(String nonce, long nc) {
    boolean[] advanced = {false};
    highest
        .asMap()
        .compute(
            nonce,
            (k, seen) -> {
              if (seen == null || nc > seen) {
                advanced[0] = true;
                return nc;
              }
              return seen;
            });
    return advanced[0];
  }

  /** Runs pending expiry and eviction now; for tests. */
  void cleanUp() {
    highest.cleanUp();
  }

  long size() {
    return highest.estimatedSize();
  }
}
