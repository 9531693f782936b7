package dev.herald.config;

/**
 * The range of expiry a request may ask for, in seconds, and what it gets when it asks for none.
 * Validation guarantees {@code minExpires <= defaultExpires <= maxExpires}.
 *
 * @param minExpires shorter requests are answered 423 Interval Too Brief
 * @param defaultExpires granted when the request has no Expires header
 * @param maxExpires longer requests are granted this much
 */
public record ExpiresPolicy(int minExpires, int defaultExpires, int maxExpires) {}
