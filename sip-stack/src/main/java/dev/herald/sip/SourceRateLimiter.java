package dev.herald.sip;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: one token bucket per source address, in a bounded Caffeine cache that forgets a
 * source a minute after its last request, so a flood from many addresses costs at most
 * MAX_SOURCES buckets. Refill is computed from the ticker at each request (no timer). A source is
 * logged once when it first goes over the limit, and again only after it has been forgotten.
 */

/** Counts requests per source address and says when one sends too many. Thread-safe. */
final class SourceRateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(SourceRateLimiter.class);
  static final long MAX_SOURCES = 100_000;

  private final RateLimit limit;
  private final Predicate<String> exempt;
  private final Ticker ticker;
  private final Cache<String, Bucket> buckets;
  private final AtomicLong refused = new AtomicLong();

  SourceRateLimiter(RateLimit limit, Predicate<String> exempt, Ticker ticker) {
    this.limit = limit;
    this.exempt = exempt;
    this.ticker = ticker;
    this.buckets =
        Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1))
            .maximumSize(MAX_SOURCES)
            .ticker(ticker)
            .build();
  }

  /** Whether a request from {@code source} (an IP address) may be taken; counts it if so. */
  boolean allow(String source) {
    if (!limit.enabled() || source == null || source.isEmpty() || exempt.test(source)) {
      return true;
    }
    Bucket bucket = buckets.get(source, s -> new Bucket(limit.burst(), ticker.read()));
    if (bucket.take(ticker.read(), limit)) {
      return true;
    }
    refused.incrementAndGet();
    if (!bucket.reported) {
      bucket.reported = true;
      LOG.warn(
          "{} sends more than {} requests/s (bursts of {}): answering 503",
          source,
          limit.perSecond(),
          limit.burst());
    }
    return false;
  }

  RateLimit limit() {
    return limit;
  }

  /** Requests refused since start. */
  long refused() {
    return refused.get();
  }

  /** A token bucket: {@code burst} tokens, refilled at {@code perSecond}. */
  private static final class Bucket {
    private double tokens;
    private long lastNanos;
    volatile boolean reported;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.lastNanos = now;
    }

    synchronized boolean take(long now, RateLimit limit) {
      long elapsed = Math.max(0, now - lastNanos);
      lastNanos = now;
      tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond() / 1e9);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
