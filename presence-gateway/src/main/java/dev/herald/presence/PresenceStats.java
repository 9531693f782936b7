package dev.herald.presence;

/**
 * A snapshot of the engine's counters.
 *
 * @param presentities presentities holding state
 * @param publications live publications
 * @param subscriptions live subscriptions
 * @param notifiesSent NOTIFYs sent since start
 * @param notifiesFailed NOTIFYs answered with an error, timed out or not sent
 * @param backlog tasks waiting on the presentity lanes
 * @param notifiesInFlight NOTIFYs sent whose outcome has not been handled yet
 */
public record PresenceStats(
    int presentities,
    long publications,
    long subscriptions,
    long notifiesSent,
    long notifiesFailed,
    long backlog,
    long notifiesInFlight) {}
