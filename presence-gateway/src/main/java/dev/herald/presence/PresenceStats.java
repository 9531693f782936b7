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
 * @param notifiesSuperseded states never sent because a newer state of the same subscription took
 *     their place while they waited behind its unanswered NOTIFY (one NOTIFY in flight per
 *     subscription; the watcher still gets the latest state)
 */
public record PresenceStats(
    int presentities,
    long publications,
    long subscriptions,
    long notifiesSent,
    long notifiesFailed,
    long backlog,
    long notifiesInFlight,
    long notifiesSuperseded) {}
