package dev.herald.sip;

/**
 * A per-source limit on requests (as Kamailio's pike module keeps): each source IP address may send
 * {@code perSecond} requests a second on average, in bursts of up to {@code burst}. Over it, a
 * request gets 503 with {@code Retry-After: 1} before a transaction is created. Sources the
 * exemption names (trusted peers: trunks, proxies that carry many users) are not counted. {@code
 * perSecond} 0 turns the limit off.
 */
public record RateLimit(int perSecond, int burst) {

  /** No limit. */
  public static final RateLimit NONE = new RateLimit(0, 0);

  public RateLimit {
    if (perSecond < 0 || burst < 0) {
      throw new IllegalArgumentException("rates must be 0 (off) or positive");
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1 when there is a limit");
    }
  }

  public boolean enabled() {
    return perSecond > 0;
  }
}
