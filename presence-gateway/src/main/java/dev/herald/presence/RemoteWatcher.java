package dev.herald.presence;

/**
 * A watcher of a presentity's {@code presence} that is not a SIP dialog: an XMPP user through the
 * gateway's component (RFC 8048 §4). It sees what a SIP watcher of the same address would see,
 * under the same authorization, and its updates are made on the presentity's lane in the order of
 * the NOTIFYs of that presentity's SIP watchers.
 *
 * <p>Called on the presentity's lane: it must not block (hand the update to a non-blocking send).
 */
@FunctionalInterface
public interface RemoteWatcher {

  /** What the watcher sees now. */
  void update(View view);

  /** What a watcher may see (RFC 3856 §6.6.2), and why it ended. */
  enum Status {
    /** Waiting for the presentity to decide: nothing to show yet. */
    PENDING,
    /** Allowed: the document is the presentity's composed state. */
    ACTIVE,
    /**
     * Politely blocked: the document is the one of a presentity with nothing published (closed).
     */
    BLOCKED,
    /** The watch ended (unwatched, shut down); the reason is RFC 6665's. */
    TERMINATED,
    /** The watch could not be made (a limit); the reason says which. */
    REFUSED
  }

  /**
   * @param status what the watcher may see
   * @param document the PIDF document to show (ACTIVE, BLOCKED), else null
   * @param reason why it ended or was refused (TERMINATED, REFUSED), else null
   */
  record View(Status status, byte[] document, String reason) {}
}
