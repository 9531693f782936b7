package dev.herald.sip.dialog;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import dev.herald.sip.internal.UdpClientTransactions;
import java.net.InetSocketAddress;
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
 * <p>State is kept as strings: a dialog costs a few hundred bytes instead of a graph of header
 * objects. A NOTIFY that goes over UDP to an IP address is written from them as text ({@link
 * NotifyRequest}); any other request parses them again. The local CSeq is incremented atomically;
 * the remote target (and where a request to it goes) changes on a refresh (target refresh, RFC 6665
 * §4.1.2.1).
 */
public final class SubscriptionDialog {
  private final DialogId id;
  private final String localUri;
  private final String remoteAddress;
  private final List<String> routeSet;
  // Where a request goes over UDP when the route set decides it (its first hop, a loose router);
  // null when the remote target decides it, or when JAIN-SIP must send (see NotifyRequest).
  private final InetSocketAddress routeHop;
  private final boolean strictRoute; // the first route has no lr: only JAIN-SIP builds requests
  private final ListenPoint listenPoint;
  private final AtomicLong localCseq = new AtomicLong();
  private volatile Target target;
  private volatile long remoteCseq;

  /** The remote target, and where a request to it goes over UDP (null: JAIN-SIP sends it). */
  private record Target(String uri, InetSocketAddress udpHop) {
    static Target of(SipURI uri) {
      return new Target(uri.toString(), UdpClientTransactions.udpNextHop(uri));
    }
  }

  private SubscriptionDialog(
      DialogId id,
      String localUri,
      String remoteAddress,
      List<String> routeSet,
      InetSocketAddress routeHop,
      boolean strictRoute,
      ListenPoint listenPoint,
      Target target,
      long remoteCseq) {
    this.strictRoute = strictRoute;
    this.id = id;
    this.localUri = localUri;
    this.remoteAddress = remoteAddress;
    this.routeSet = routeSet;
    this.routeHop = routeHop;
    this.listenPoint = listenPoint;
    this.target = target;
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
    SipURI target = contactUri(r);
    List<String> routes = new ArrayList<>();
    InetSocketAddress routeHop = null;
    boolean strict = false;
    // RFC 3261 §12.1.1: the UAS's route set is the Record-Route values in the order received.
    Iterator<?> rr = r.getHeaders(RecordRouteHeader.NAME);
    while (rr.hasNext()) {
      Address route = ((RecordRouteHeader) rr.next()).getAddress();
      if (routes.isEmpty()) {
        strict = !(route.getURI() instanceof SipURI first && first.hasLrParam());
        routeHop = strict ? null : UdpClientTransactions.udpNextHop(route.getURI());
      }
      routes.add(route.toString());
    }
    return new SubscriptionDialog(
        new DialogId(callId.getCallId(), localTag, from.getTag()),
        to.getAddress().getURI().toString(),
        from.getAddress().toString(),
        routes.isEmpty() ? List.of() : List.copyOf(routes),
        routeHop,
        strict,
        listenPoint,
        Target.of(target),
        cseq.getSeqNumber());
  }

  public DialogId id() {
    return id;
  }

  public ListenPoint listenPoint() {
    return listenPoint;
  }

  public String remoteTarget() {
    return target.uri();
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
      target = Target.of(contactUri(refresh));
    }
  }

  /**
   * A new request in this dialog, with the next local CSeq, Route per the route set and the remote
   * target as Request-URI (RFC 3261 §12.2.1.1). The Via is added when it is sent.
   */
  public Request newRequest(String method) {
    return newRequest(method, localCseq.incrementAndGet(), target.uri());
  }

  /**
   * The next NOTIFY in this dialog, kept as its parts until it is sent: as text when it goes over
   * UDP to an IP address (the usual case), as JAIN-SIP objects otherwise ({@link NotifyRequest}).
   *
   * @param eventId the Event header's id parameter, as the subscription named it; empty for none
   * @param contentType {@code type/subtype} of the body; null with no body
   */
  public NotifyRequest newNotify(
      String eventPackage,
      String eventId,
      NotifyRequest.State state,
      String contentType,
      byte[] body) {
    Target t = target;
    InetSocketAddress hop = routeSet.isEmpty() ? t.udpHop() : routeHop;
    return new NotifyRequest(
        this,
        localCseq.incrementAndGet(),
        t.uri(),
        hop,
        eventPackage,
        eventId,
        state,
        contentType,
        body);
  }

  Request newRequest(String method, long cseq, String remoteTarget) {
    try {
      Address local =
          SipMessages.ADDRESSES.createAddress(SipMessages.ADDRESSES.createURI(localUri));
      FromHeader from = SipMessages.HEADERS.createFromHeader(local, id.localTag());
      Address remote = SipMessages.ADDRESSES.createAddress(remoteAddress);
      ToHeader to = SipMessages.HEADERS.createToHeader(remote, id.remoteTag());
      return InDialogRequests.build(
          method, id.callId(), cseq, from, to, remoteTarget, routeSet, listenPoint);
    } catch (ParseException | javax.sip.InvalidArgumentException e) {
      // Every part was parsed once when the dialog was made; failing now is a bug.
      throw new IllegalStateException("cannot build " + method + " in dialog " + id, e);
    }
  }

  /**
   * Appends the header lines this dialog gives a request (RFC 3261 §12.2.1.1): Max-Forwards, From,
   * To, Call-ID, CSeq, Route per the route set (loose routing: the caller sends to the first),
   * Contact, each as JAIN-SIP encodes it from the objects {@link #newRequest(String)} builds.
   */
  void appendHeaders(StringBuilder b, String method, long cseq) {
    if (strictRoute) {
      // RFC 3261 §12.2.1.1: the request would need its Request-URI and Route set rewritten
      throw new IllegalStateException("a strict router is first in the route set of " + this);
    }
    b.append("Max-Forwards: 70\r\n");
    b.append("From: <").append(localUri).append(">;tag=").append(id.localTag()).append("\r\n");
    b.append("To: ");
    // An addr-spec (no <>, no display name) gets its brackets in a header with parameters.
    if (remoteAddress.indexOf('<') < 0) {
      b.append('<').append(remoteAddress).append('>');
    } else {
      b.append(remoteAddress);
    }
    b.append(";tag=").append(id.remoteTag()).append("\r\n");
    b.append("Call-ID: ").append(id.callId()).append("\r\n");
    b.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
    if (!routeSet.isEmpty()) {
      // one line, comma-separated, as JAIN-SIP writes a header list
      b.append("Route: ").append(String.join(",", routeSet)).append("\r\n");
    }
    b.append(SipMessages.contactText(listenPoint));
  }

  /** The remote target a message's Contact names (RFC 3261 §12.1.1), for both kinds of dialog. */
  static String contactTarget(javax.sip.message.Message m) throws DialogException {
    return contactUri(m).toString();
  }

  private static SipURI contactUri(javax.sip.message.Message m) throws DialogException {
    ContactHeader contact = (ContactHeader) m.getHeader(ContactHeader.NAME);
    if (contact == null || contact.getAddress() == null) {
      throw new DialogException("Contact header missing");
    }
    if (contact.getAddress().isWildcard()) {
      throw new DialogException("Contact is a wildcard");
    }
    URI uri = contact.getAddress().getURI();
    if (!(uri instanceof SipURI sip)) {
      throw new DialogException("Contact is not a SIP URI");
    }
    return sip;
  }

  @Override
  public String toString() {
    return "dialog " + id.callId() + " to " + target.uri();
  }
}
