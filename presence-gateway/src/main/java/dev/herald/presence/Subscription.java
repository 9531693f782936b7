package dev.herald.presence;

import dev.herald.presence.winfo.WatcherList;
import dev.herald.sip.dialog.DialogId;
import dev.herald.sip.dialog.SubscriptionDialog;

/**
 * One watcher's subscription (RFC 6665): its dialog, what it watches, who watches, the body type it
 * gets, when it expires, its authorization, and its NOTIFY pipeline. Everything but the expiry is
 * touched only on the lane of its presentity.
 *
 * <p>Pipeline: at most one NOTIFY is in flight; a newer state waiting behind it replaces an older
 * one (the watcher gets the latest state, in order, never an older after a newer), and a final
 * NOTIFY, once queued, is never replaced.
 *
 * <p>A remote watcher's subscription ({@link RemoteWatcher}, an XMPP user) has no dialog: its id is
 * made of the presentity and the watcher, it does not expire, and its updates are handed to the
 * watcher on the lane instead of being sent as NOTIFYs.
 */
public final class Subscription {
  private final SubscriptionDialog dialog;
  private final DialogId id;
  private final RemoteWatcher remote;
  private final Resource resource;
  private final String event;
  private final String eventId;
  private final String contentType;
  private final String watcher;
  private final String watcherId;
  private volatile long expiresAtNanos;

  // Lane-confined.
  boolean inFlight;
  Notification pending;
  boolean ended;
  boolean terminating;

  /** What the watcher may see; always ALLOWED for a watcher-info subscription. */
  Access access = Access.ALLOWED;

  /** What caused the last change of {@link #access}, for watcher info (RFC 3858). */
  WatcherList.Event lastEvent = WatcherList.Event.SUBSCRIBE;

  /** The version of the next watcher-info document this subscription gets (RFC 3858 §3). */
  long nextWatcherInfoVersion;

  /** The version of the next state document this subscription gets, if its package counts them. */
  long nextDocumentVersion;

  /** A Cisco client (Accept: application/cpim-pidf+xml): it also gets Cisco's person element. */
  boolean ciscoClient;

  Subscription(
      SubscriptionDialog dialog,
      Resource resource,
      String event,
      String contentType,
      long expiresAtNanos,
      String watcher,
      String watcherId) {
    this(
        dialog,
        dialog.id(),
        null,
        resource,
        event,
        contentType,
        expiresAtNanos,
        watcher,
        watcherId);
  }

  /** A remote watcher's subscription, {@code id} as {@link #remoteId} makes it. */
  static Subscription remote(
      RemoteWatcher remote,
      Resource resource,
      String contentType,
      long expiresAtNanos,
      String watcher,
      String watcherId) {
    return new Subscription(
        null,
        remoteId(resource, watcher),
        remote,
        resource,
        resource.eventPackage(),
        contentType,
        expiresAtNanos,
        watcher,
        watcherId);
  }

  private Subscription(
      SubscriptionDialog dialog,
      DialogId id,
      RemoteWatcher remote,
      Resource resource,
      String event,
      String contentType,
      long expiresAtNanos,
      String watcher,
      String watcherId) {
    this.dialog = dialog;
    this.id = id;
    this.remote = remote;
    this.resource = resource;
    this.event = event;
    String key = PresenceEngine.eventKey(event);
    this.eventId = key.substring(key.indexOf(';') + 1);
    this.contentType = contentType;
    this.expiresAtNanos = expiresAtNanos;
    this.watcher = watcher;
    this.watcherId = watcherId;
  }

  /** The SIP dialog; null for a {@link #remote()} watcher's subscription. */
  public SubscriptionDialog dialog() {
    return dialog;
  }

  /** The key of the subscription in the store: its dialog's id, or the remote watcher's. */
  public DialogId id() {
    return id;
  }

  /** The remote watcher this subscription reports to, or null for a SIP dialog's. */
  RemoteWatcher remote() {
    return remote;
  }

  /**
   * The id of a remote watcher's subscription to {@code resource}: no SIP dialog can have it, for
   * its Call-ID is not one a SIP request can carry (it holds a space).
   */
  static DialogId remoteId(Resource resource, String watcher) {
    return new DialogId("remote watcher", resource.address(), watcher);
  }

  public Resource resource() {
    return resource;
  }

  /** The Event id parameter, parsed once; empty when the watcher sent none. */
  String eventId() {
    return eventId;
  }

  /** The Event header value to echo, with its id parameter if the watcher sent one. */
  public String event() {
    return event;
  }

  public String contentType() {
    return contentType;
  }

  /** The address the watcher was authorized as (the authenticated user's, or the From URI). */
  public String watcher() {
    return watcher;
  }

  /** The opaque id that names this subscription in watcher information documents. */
  String watcherId() {
    return watcherId;
  }

  public long expiresAtNanos() {
    return expiresAtNanos;
  }

  void expiresAtNanos(long value) {
    expiresAtNanos = value;
  }

  @Override
  public String toString() {
    return "subscription to "
        + resource
        + " by "
        + watcher
        + " ("
        + (dialog == null ? "remote" : dialog)
        + ")";
  }

  /**
   * What a watcher of a state package may see (RFC 3856 §6.6.2): nothing yet (PENDING, NOTIFYs say
   * pending and carry no body), the state (ALLOWED), or the polite-block document (BLOCKED, while
   * the subscription looks active to the watcher).
   */
  enum Access {
    PENDING,
    ALLOWED,
    BLOCKED
  }

  /** The Subscription-State of a NOTIFY (RFC 6665 §8.2.3). */
  enum State {
    ACTIVE,
    PENDING,
    TERMINATED
  }

  /**
   * The body of a NOTIFY, made when it is sent: a watcher-info body carries that NOTIFY's version.
   */
  @FunctionalInterface
  interface Body {
    byte[] bytes(Subscription s);

    /** The same bytes for every watcher: one composed state shared by all. */
    static Body of(byte[] shared) {
      return s -> shared;
    }
  }

  /**
   * A NOTIFY waiting to be sent.
   *
   * @param body null for a NOTIFY without a body (a pending subscription has no state to show)
   * @param reason the Subscription-State reason of a terminating NOTIFY, else null
   */
  record Notification(Body body, State state, String reason) {
    boolean terminal() {
      return state == State.TERMINATED;
    }
  }
}
