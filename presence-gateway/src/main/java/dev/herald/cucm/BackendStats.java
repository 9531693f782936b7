package dev.herald.cucm;

/**
 * A snapshot of the back-end subscriptions' counters.
 *
 * @param presentities presentities with a back-end subscription (active, being made or retried, or
 *     lingering after the last watcher left)
 * @param active those whose SUBSCRIBE CUCM accepted and that are live now
 * @param refreshes refreshing SUBSCRIBEs sent since start
 * @param failures attempts given up since start (no answer, an error response, terminated by CUCM,
 *     no peer in service)
 * @param retries SUBSCRIBEs sent again since start: after a failure's backoff, or at once after a
 *     423 with Min-Expires
 */
public record BackendStats(
    int presentities, int active, long refreshes, long failures, long retries) {

  /** Nothing ever happened. */
  public static final BackendStats NONE = new BackendStats(0, 0, 0, 0, 0);
}
