package dev.herald.presence;

import dev.herald.sip.dialog.SubscriptionDialog;

/**
 * One watcher's subscription (RFC 6665): its dialog, what it watches, the body type it gets, when
 * it expires, and its NOTIFY pipeline. Everything but the expiry is touched only on the lane of its
 * presentity.
 *
 * <p>Pipeline: at most one NOTIFY is in flight; a newer state waiting behind it replaces an older
 * one (the watcher gets the latest state, in order, never an older after a newer), and a final
 * NOTIFY, once queued, is never replaced.
 */
public final class Subscription {
  private final SubscriptionDialog dialog;
  private final Resource resource;
  private final String event;
  private final String eventId;
  private final String contentType;
  private volatile long expiresAtNanos;

  // Lane-confined.
  boolean inFlight;
  Notification pending;
  boolean ended;
  boolean terminating;

  Subscription(
      SubscriptionDialog dialog,
      Resource resource,
      String event,
      String contentType,
      long expiresAtNanos) {
    this.dialog = dialog;
    this.resource = resource;
    this.event = event;
    String key = PresenceEngine.eventKey(event);
    this.eventId = key.substring(key.indexOf(';') + 1);
    this.contentType = contentType;
    this.expiresAtNanos = expiresAtNanos;
  }

  public SubscriptionDialog dialog() {
    return dialog;
  }

  public Resource resource() {
    return resource;
  }

  /** The Event header value to echo, with its id parameter if the watcher sent one. */
  /** The Event id parameter, parsed once; empty when the watcher sent none. */
  String eventId() {
    return eventId;
  }

  public String event() {
    return event;
  }

  public String contentType() {
    return contentType;
  }

  public long expiresAtNanos() {
    return expiresAtNanos;
  }

  void expiresAtNanos(long value) {
    expiresAtNanos = value;
  }

  @Override
  public String toString() {
    return "subscription to " + resource + " by " + dialog;
  }

  /** A NOTIFY waiting to be sent: the body is shared by every watcher of one state. */
  record Notification(byte[] body, boolean terminal, String reason) {}
}
