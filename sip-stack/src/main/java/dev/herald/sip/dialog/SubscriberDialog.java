package dev.herald.sip.dialog;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/*
 * Design note: the subscriber's side of a subscription dialog, the mirror of SubscriptionDialog.
 * Before it is established it is a Call-ID, a local tag and an initial target; the first 2xx to
 * the SUBSCRIBE (RFC 3261 §12.1.2) or the first NOTIFY, which may come before that 2xx (RFC 6665
 * §4.1.2.4), fixes the remote tag, the remote target and the route set; whichever comes second
 * changes nothing. As in SubscriptionDialog, state is strings, parsed again when a request is
 * built, and the local CSeq is an atomic counter. Fields are volatile: the owner changes them on
 * one thread, others may read them.
 */

/**
 * The subscriber's side of a subscription dialog (RFC 6665 §4.1): Herald subscribing to another
 * notifier (CUCM, for a user's phone state). Make one with {@link #create}, send {@link
 * #newRequest}'s SUBSCRIBE, then establish it from the 2xx ({@link #establish(Response)}) or from
 * the first NOTIFY ({@link #establish(Request)}); later requests in the dialog (refreshes, the
 * final {@code Expires: 0}) come from {@link #newRequest} too.
 */
public final class SubscriberDialog {
  private final String callId;
  private final String localTag;
  private final String localAddress;
  private final String remoteAddress;
  private final ListenPoint listenPoint;
  private final AtomicLong localCseq = new AtomicLong();
  private volatile String remoteTag;
  private volatile String remoteTarget;
  private volatile List<String> routeSet = List.of();

  private SubscriberDialog(
      String callId,
      String localTag,
      String localAddress,
      String remoteAddress,
      String target,
      ListenPoint listenPoint) {
    this.callId = callId;
    this.localTag = localTag;
    this.localAddress = localAddress;
    this.remoteAddress = remoteAddress;
    this.remoteTarget = target;
    this.listenPoint = listenPoint;
  }

  /**
   * A new dialog, not yet established, with a fresh Call-ID and local tag.
   *
   * @param localAddress the subscriber, as From ({@code sip:herald@example.com})
   * @param remoteAddress the resource subscribed to, as To ({@code sip:alice@example.com})
   * @param target the Request-URI of the initial SUBSCRIBE (the notifier's address)
   * @param listenPoint where the requests are sent from; it is also the Contact
   * @throws IllegalArgumentException when an address does not parse
   */
  public static SubscriberDialog create(
      String localAddress, String remoteAddress, String target, ListenPoint listenPoint) {
    try {
      SipMessages.ADDRESSES.createAddress(localAddress);
      SipMessages.ADDRESSES.createAddress(remoteAddress);
      SipMessages.ADDRESSES.createURI(target);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a SIP address: " + e.getMessage(), e);
    }
    return new SubscriberDialog(
        SipMessages.newCallId(),
        SipMessages.newTag(),
        localAddress,
        remoteAddress,
        target,
        listenPoint);
  }

  /** The dialog's Call-ID. */
  public String callId() {
    return callId;
  }

  /** Herald's tag: the From tag of its requests, the To tag of the notifier's NOTIFYs. */
  public String localTag() {
    return localTag;
  }

  /** The identity once established; the remote tag is null before. */
  public DialogId id() {
    return new DialogId(callId, localTag, remoteTag);
  }

  public boolean isEstablished() {
    return remoteTag != null;
  }

  public ListenPoint listenPoint() {
    return listenPoint;
  }

  /** Where in-dialog requests go: the initial target until established, then the Contact. */
  public String remoteTarget() {
    return remoteTarget;
  }

  /** The route set, in the order of the Route headers of the next request. */
  public List<String> routeSet() {
    return routeSet;
  }

  /** Whether a NOTIFY belongs to this dialog: its Call-ID, and our tag as its To tag. */
  public boolean matches(Request notify) {
    CallIdHeader id = (CallIdHeader) notify.getHeader(CallIdHeader.NAME);
    ToHeader to = (ToHeader) notify.getHeader(ToHeader.NAME);
    return id != null
        && to != null
        && callId.equals(id.getCallId())
        && localTag.equals(to.getTag())
        && (remoteTag == null || remoteTag.equals(fromTag(notify)));
  }

  /**
   * Establishes the dialog from a 2xx to the SUBSCRIBE (RFC 3261 §12.1.2: the route set is the
   * Record-Route reversed, the remote target the Contact, the remote tag the To tag). Once
   * established, a 2xx to a refresh only updates the remote target (RFC 6665 §4.1.2.1).
   *
   * @throws DialogException when the response lacks a To tag or a SIP Contact
   */
  public void establish(Response ok) throws DialogException {
    if (isEstablished()) {
      if (ok.getHeader(ContactHeader.NAME) != null) {
        remoteTarget = SubscriptionDialog.contactTarget(ok);
      }
      return;
    }
    ToHeader to = (ToHeader) ok.getHeader(ToHeader.NAME);
    if (to == null || to.getTag() == null || to.getTag().isEmpty()) {
      throw new DialogException("2xx to SUBSCRIBE has no To tag");
    }
    String target = SubscriptionDialog.contactTarget(ok);
    List<String> routes = recordRoutes(ok);
    Collections.reverse(routes);
    routeSet = List.copyOf(routes);
    remoteTarget = target;
    remoteTag = to.getTag();
  }

  /**
   * Establishes the dialog from a NOTIFY that came before the 2xx (RFC 6665 §4.1.2.4): Herald is
   * the NOTIFY's UAS, so the route set is its Record-Route in order (RFC 3261 §12.1.1) and the
   * remote tag its From tag. Once established, it only updates the remote target.
   *
   * @throws DialogException when the NOTIFY lacks a From tag or a SIP Contact
   */
  public void establish(Request notify) throws DialogException {
    if (isEstablished()) {
      if (notify.getHeader(ContactHeader.NAME) != null) {
        remoteTarget = SubscriptionDialog.contactTarget(notify);
      }
      return;
    }
    String tag = fromTag(notify);
    if (tag == null || tag.isEmpty()) {
      throw new DialogException("NOTIFY has no From tag");
    }
    String target = SubscriptionDialog.contactTarget(notify);
    routeSet = List.copyOf(recordRoutes(notify));
    remoteTarget = target;
    remoteTag = tag;
  }

  /**
   * A new request in this dialog: the next local CSeq, the remote tag once known, Route per the
   * route set and the remote target as Request-URI (RFC 3261 §12.2.1.1), Contact the listen point.
   * The Via is added when it is sent.
   */
  public Request newRequest(String method) {
    try {
      Address local = SipMessages.ADDRESSES.createAddress(localAddress);
      FromHeader from = SipMessages.HEADERS.createFromHeader(local, localTag);
      Address remote = SipMessages.ADDRESSES.createAddress(remoteAddress);
      ToHeader to = SipMessages.HEADERS.createToHeader(remote, remoteTag);
      return InDialogRequests.build(
          method,
          callId,
          localCseq.incrementAndGet(),
          from,
          to,
          remoteTarget,
          routeSet,
          listenPoint);
    } catch (ParseException | InvalidArgumentException e) {
      // Every part was parsed once before; failing now is a bug.
      throw new IllegalStateException("cannot build " + method + " in " + this, e);
    }
  }

  private static String fromTag(Request r) {
    FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
    return from == null ? null : from.getTag();
  }

  private static List<String> recordRoutes(Message m) {
    List<String> routes = new ArrayList<>();
    Iterator<?> rr = m.getHeaders(RecordRouteHeader.NAME);
    while (rr.hasNext()) {
      routes.add(((RecordRouteHeader) rr.next()).getAddress().toString());
    }
    return routes;
  }

  @Override
  public String toString() {
    return "subscriber dialog " + callId + " to " + remoteTarget;
  }
}
