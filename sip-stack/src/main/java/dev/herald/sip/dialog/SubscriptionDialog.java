package dev.herald.sip.dialog;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/**
 * The notifier's side of a subscription dialog (RFC 6665 §4.2, dialogs per RFC 3261 §12.1.1): made
 * from the initial SUBSCRIBE that Herald answered 200, it builds the in-dialog requests Herald
 * sends (NOTIFY) and checks the subscriber's CSeq on refreshes.
 *
 * <p>State is kept as strings, parsed again when a request is built: a dialog costs a few hundred
 * bytes instead of a graph of header objects. The local CSeq is incremented atomically; the remote
 * target changes on a refresh (target refresh, RFC 6665 §4.1.2.1).
 */
public final class SubscriptionDialog {
  private final DialogId id;
  private final String localUri;
  private final String remoteAddress;
  private final List<String> routeSet;
  private final ListenPoint listenPoint;
  private final AtomicLong localCseq = new AtomicLong();
  private volatile String remoteTarget;
  private volatile long remoteCseq;

  private SubscriptionDialog(
      DialogId id,
      String localUri,
      String remoteAddress,
      List<String> routeSet,
      ListenPoint listenPoint,
      String remoteTarget,
      long remoteCseq) {
    this.id = id;
    this.localUri = localUri;
    this.remoteAddress = remoteAddress;
    this.routeSet = routeSet;
    this.listenPoint = listenPoint;
    this.remoteTarget = remoteTarget;
    this.remoteCseq = remoteCseq;
  }

  /**
   * The dialog an initial SUBSCRIBE creates when Herald accepts it with the given local tag.
   *
   * @throws DialogException when the request lacks what a dialog needs (a Contact with a SIP URI, a
   *     From tag)
   */
  public static SubscriptionDialog accept(Request r, ListenPoint listenPoint, String localTag)
      throws DialogException {
    FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    CallIdHeader callId = (CallIdHeader) r.getHeader(CallIdHeader.NAME);
    CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
    if (from == null || to == null || callId == null || cseq == null) {
      throw new DialogException("From, To, Call-ID or CSeq missing");
    }
    if (from.getTag() == null || from.getTag().isEmpty()) {
      throw new DialogException("From header has no tag");
    }
    String target = contactTarget(r);
    List<String> routes = new ArrayList<>();
    // RFC 3261 §12.1.1: the UAS's route set is the Record-Route values in the order received.
    Iterator<?> rr = r.getHeaders(RecordRouteHeader.NAME);
    while (rr.hasNext()) {
      routes.add(((RecordRouteHeader) rr.next()).getAddress().toString());
    }
    return new SubscriptionDialog(
        new DialogId(callId.getCallId(), localTag, from.getTag()),
        to.getAddress().getURI().toString(),
        from.getAddress().toString(),
        routes.isEmpty() ? List.of() : List.copyOf(routes),
        listenPoint,
        target,
        cseq.getSeqNumber());
  }

  public DialogId id() {
    return id;
  }

  public ListenPoint listenPoint() {
    return listenPoint;
  }

  public String remoteTarget() {
    return remoteTarget;
  }

  /**
   * Checks and records the CSeq of an in-dialog request from the subscriber. False when it is not
   * higher than the last one: RFC 3261 §12.2.2 answers that with 500.
   */
  public synchronized boolean acceptRemoteCseq(long cseq) {
    if (cseq <= remoteCseq) {
      return false;
    }
    remoteCseq = cseq;
    return true;
  }

  /** A refresh may carry a new Contact: it becomes the remote target. */
  public void refreshTarget(Request refresh) throws DialogException {
    if (refresh.getHeader(ContactHeader.NAME) != null) {
      remoteTarget = contactTarget(refresh);
    }
  }

  /**
   * A new request in this dialog, with the next local CSeq, Route per the route set and the remote
   * target as Request-URI (RFC 3261 §12.2.1.1). The Via is added when it is sent.
   */
  public Request newRequest(String method) {
    try {
      Address local =
          SipMessages.ADDRESSES.createAddress(SipMessages.ADDRESSES.createURI(localUri));
      FromHeader from = SipMessages.HEADERS.createFromHeader(local, id.localTag());
      Address remote = SipMessages.ADDRESSES.createAddress(remoteAddress);
      ToHeader to = SipMessages.HEADERS.createToHeader(remote, id.remoteTag());
      return InDialogRequests.build(
          method,
          id.callId(),
          localCseq.incrementAndGet(),
          from,
          to,
          remoteTarget,
          routeSet,
          listenPoint);
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      // Every part was parsed once when the dialog was made; failing now is a bug.
      throw new IllegalStateException("cannot build " + method + " in dialog " + id, e);
    }
  }

  /** The remote target a message's Contact names (RFC 3261 §12.1.1), for both kinds of dialog. */
  static String contactTarget(javax.sip.message.Message m) throws DialogException {
    ContactHeader contact = (ContactHeader) m.getHeader(ContactHeader.NAME);
    if (contact == null || contact.getAddress() == null) {
      throw new DialogException("Contact header missing");
    }
    if (contact.getAddress().isWildcard()) {
      throw new DialogException("Contact is a wildcard");
    }
    URI uri = contact.getAddress().getURI();
    if (!(uri instanceof SipURI)) {
      throw new DialogException("Contact is not a SIP URI");
    }
    return uri.toString();
  }

  @Override
  public String toString() {
    return "dialog " + id.callId() + " to " + remoteTarget;
  }
}
