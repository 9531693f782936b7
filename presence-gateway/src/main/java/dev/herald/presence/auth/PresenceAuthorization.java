package dev.herald.presence.auth;

import java.util.List;

/**
 * Allowing and denying watchers of a presentity's presence (RFC 3856 §6.6.2), and the watchers
 * still waiting for a decision. Reach it through {@code Herald.authorization()}.
 *
 * <p>A decision applies at once, to the watcher's current subscriptions and to later ones: a
 * pending subscription becomes active and its watcher gets a NOTIFY with the full state ({@link
 * #allow}) or with the presentity shown as closed ({@link #deny}, polite blocking: the watcher
 * never learns that it was denied); an allowed watcher who is denied sees only closed from then on,
 * and the reverse. The presentity's watcher-info subscribers are told (RFC 3857).
 *
 * <p>Decisions are kept in memory only: they do not survive a restart. They rank as the
 * presentity's own lists do: a watcher the users file blocks stays blocked whatever {@link #allow}
 * says, and a user always sees their own presence whatever {@link #deny} says.
 *
 * <p>Thread-safe; the methods return at once and the NOTIFYs follow on the presentity's lane.
 */
public interface PresenceAuthorization {

  /**
   * Lets {@code watcher} see {@code presentity}'s presence.
   *
   * @param presentity the watched address, {@code sip:user@host}
   * @param watcher the watcher's address, {@code sip:user@host}
   * @throws IllegalArgumentException if either is not a {@code sip:user@host} address
   */
  void allow(String presentity, String watcher);

  /**
   * Blocks {@code watcher} politely: its subscriptions to {@code presentity} stay active, and show
   * the presentity as closed, with nothing else in the document.
   *
   * @throws IllegalArgumentException if either is not a {@code sip:user@host} address
   */
  void deny(String presentity, String watcher);

  /**
   * The watchers whose subscriptions to {@code presentity} wait for a decision, each once, in the
   * order they subscribed. A snapshot: a subscription that is being created or decided on the
   * presentity's lane at this moment may not be reflected yet.
   *
   * @throws IllegalArgumentException if {@code presentity} is not a {@code sip:user@host} address
   */
  List<String> pending(String presentity);
}
