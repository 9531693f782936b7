package dev.herald.sip.dialog;

import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipMessages;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Objects;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;

/*
 * Design note (issue 7). A NOTIFY used to be built as JAIN-SIP objects: the dialog's From, To,
 * Request-URI and routes parsed again from their strings, Event, Subscription-State and
 * Content-Type made as header objects, then the whole encoded to bytes. For one that goes over UDP
 * to an IP address (what the SIP server sends through its own client transaction) those objects
 * were made only to be encoded: under subscription setup, building and encoding the first NOTIFY
 * was ~12% of Herald's CPU and ~20% of the bytes it allocated. The text is now written directly,
 * each header as JAIN-SIP encodes it (NotifyRequestTest compares the two header by header);
 * everything else (TCP, TLS, a host name or sips URI to resolve, a strict router) still becomes
 * JAIN-SIP objects through toRequest(), exactly as before.
 */

/**
 * A NOTIFY in a subscription dialog (RFC 6665 §4.2.2), with its CSeq already taken: sent as text
 * when {@link #udpNextHop()} names where it goes, else as the JAIN-SIP request {@link #toRequest()}
 * builds. The Via (and the User-Agent) are the sender's to add.
 */
public final class NotifyRequest {
  /** The Subscription-State of a NOTIFY (RFC 6665 §8.2.3). */
  public record State(String value, int expires, String reason) {
    public State {
      Objects.requireNonNull(value, "value");
    }

    /** active or pending, with the seconds left. */
    public static State of(String value, int expires) {
      return new State(value, expires, null);
    }

    /** terminated, with a reason code (RFC 6665 §4.2.2). */
    public static State terminated(String reason) {
      return new State(SubscriptionStateHeader.TERMINATED, -1, reason);
    }
  }

  private static final String METHOD = Request.NOTIFY;

  private final SubscriptionDialog dialog;
  private final long cseq;
  private final String requestUri;
  private final InetSocketAddress udpHop;
  private final String eventPackage;
  private final String eventId;
  private final State state;
  private final String contentType;
  private final byte[] body;

  NotifyRequest(
      SubscriptionDialog dialog,
      long cseq,
      String requestUri,
      InetSocketAddress udpHop,
      String eventPackage,
      String eventId,
      State state,
      String contentType,
      byte[] body) {
    this.dialog = dialog;
    this.cseq = cseq;
    this.requestUri = requestUri;
    this.udpHop = udpHop;
    this.eventPackage = Objects.requireNonNull(eventPackage, "eventPackage");
    this.eventId = eventId == null ? "" : eventId;
    this.state = Objects.requireNonNull(state, "state");
    if (body != null && (contentType == null || contentType.indexOf('/') <= 0)) {
      throw new IllegalArgumentException("a body needs a type/subtype: " + contentType);
    }
    this.contentType = contentType;
    this.body = body;
  }

  public String method() {
    return METHOD;
  }

  /** The listen point the dialog belongs to: the NOTIFY leaves from it. */
  public ListenPoint listenPoint() {
    return dialog.listenPoint();
  }

  /**
   * Where it goes when that is over UDP to an IP address (the first route, a loose router, or the
   * remote target); null when JAIN-SIP must send it: another transport, a host name to resolve, a
   * sips URI, a maddr, a strict router.
   */
  public InetSocketAddress udpNextHop() {
    return udpHop;
  }

  /**
   * The request as bytes, ready for UDP. Not for a dialog whose first route is a strict router
   * ({@link #udpNextHop()} is null then): JAIN-SIP rewrites that request.
   *
   * @param via the whole Via header line, CRLF included
   * @param userAgent the whole User-Agent header line, CRLF included; empty for none
   * @throws IllegalStateException for a dialog with a strict router first
   */
  public byte[] encode(String via, String userAgent) {
    StringBuilder b = new StringBuilder(512 + (body == null ? 0 : body.length));
    b.append(METHOD).append(' ').append(requestUri).append(" SIP/2.0\r\n");
    b.append(via);
    dialog.appendHeaders(b, METHOD, cseq);
    b.append("Event: ").append(eventPackage);
    if (!eventId.isEmpty()) {
      b.append(";id=").append(eventId);
    }
    b.append("\r\n");
    b.append("Subscription-State: ").append(state.value());
    if (state.reason() != null) {
      b.append(";reason=").append(state.reason());
    }
    if (state.expires() >= 0) {
      b.append(";expires=").append(state.expires());
    }
    b.append("\r\n");
    if (body != null) {
      b.append("Content-Type: ").append(contentType).append("\r\n");
    }
    b.append(userAgent);
    b.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
    // The header section is ASCII (every part was parsed, or made, as SIP text); the body is bytes.
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    if (body == null) {
      return head;
    }
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** The same request as JAIN-SIP objects, for JAIN-SIP to send (and for tests to read). */
  public Request toRequest() throws ParseException, InvalidArgumentException {
    Request notify = dialog.newRequest(METHOD, cseq, requestUri);
    EventHeader event = SipMessages.HEADERS.createEventHeader(eventPackage);
    if (!eventId.isEmpty()) {
      event.setEventId(eventId);
    }
    notify.setHeader(event);
    SubscriptionStateHeader header =
        SipMessages.HEADERS.createSubscriptionStateHeader(state.value());
    if (state.reason() != null) {
      header.setReasonCode(state.reason());
    }
    if (state.expires() >= 0) {
      header.setExpires(state.expires());
    }
    notify.setHeader(header);
    if (body != null) {
      String[] type = contentType.split("/", 2);
      ContentTypeHeader ct = SipMessages.HEADERS.createContentTypeHeader(type[0], type[1]);
      notify.setContent(body, ct);
    }
    return notify;
  }

  @Override
  public String toString() {
    return "NOTIFY " + state.value() + " CSeq " + cseq + " in " + dialog;
  }
}
