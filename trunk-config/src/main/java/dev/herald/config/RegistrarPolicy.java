package dev.herald.config;

/**
 * Limits of the registrar (RFC 3261 §10.3). Validation guarantees {@code minExpires <=
 * defaultExpires <= maxExpires}.
 *
 * @param minExpires shorter registrations are answered 423 Interval Too Brief
 * @param defaultExpires granted when a contact asks for no expiry
 * @param maxExpires longer registrations are granted this much
 * @param maxContactsPerAddress how many contacts one address of record may bind, 1..1000
 * @param registrationAsPresence whether a user with a live registration and nothing published shows
 *     as open
 */
public record RegistrarPolicy(
    int minExpires,
    int defaultExpires,
    int maxExpires,
    int maxContactsPerAddress,
    boolean registrationAsPresence) {}
