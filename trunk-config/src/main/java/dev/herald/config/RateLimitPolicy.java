package dev.herald.config;

/**
 * The per-source request limit ({@code sip.rate-limit}); trusted peers are not counted.
 *
 * @param perSecond requests a second one source address may send on average; 0 = no limit
 * @param burst how many it may send at once, at least 1 when there is a limit
 */
public record RateLimitPolicy(int perSecond, int burst) {
  /** The defaults: far above what a phone sends, far below a flood. */
  public static final RateLimitPolicy DEFAULT = new RateLimitPolicy(200, 400);
}
