package dev.herald.sip;

import dev.herald.sip.internal.UdpServerTransactions;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ListeningPoint;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that reached a handler, with the means to answer it. Answer exactly once, from any
 * thread; a second answer is ignored and logged.
 */
public final class IncomingRequest {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingRequest.class);

  private final Request request;
  private final ServerTransaction transaction;
  private final UdpServerTransactions.Tx ownTransaction;
  private final SipProvider provider;
  private final ListenPoint listenPoint;
  private final String sourceAddress;
  private final int sourcePort;
  private final String product;
  private final ConnectionHold connectionHold;
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile Identity identity = Identity.NONE;

  IncomingRequest(
      Request request,
      ServerTransaction transaction,
      UdpServerTransactions.Tx ownTransaction,
      SipProvider provider,
      ListenPoint listenPoint,
      String sourceAddress,
      int sourcePort,
      String product,
      ConnectionHold connectionHold) {
    this.connectionHold = connectionHold;
    this.request = request;
    this.transaction = transaction;
    this.ownTransaction = ownTransaction;
    this.provider = provider;
    this.listenPoint = listenPoint;
    this.sourceAddress = sourceAddress;
    this.sourcePort = sourcePort;
    this.product = product;
  }

  public Request request() {
    return request;
  }

  public String method() {
    return request.getMethod();
  }

  /**
   * JAIN-SIP's server transaction; null when the stack would not make one for this request, or when
   * it has Herald's own ({@link UdpServerTransactions}).
   */
  ServerTransaction transaction() {
    return transaction;
  }

  /** The socket the request arrived on. */
  public ListenPoint listenPoint() {
    return listenPoint;
  }

  /** "udp", "tcp" or "tls". */
  public String transport() {
    return listenPoint.transport();
  }

  public String sourceAddress() {
    return sourceAddress;
  }

  public int sourcePort() {
    return sourcePort;
  }

  /** Who sent the request, as the SIP layer established it before the handler ran. */
  public Identity identity() {
    return identity;
  }

  void identity(Identity identity) {
    this.identity = identity;
  }

  public boolean isAnswered() {
    return answered.get();
  }

  /**
   * A response to this request, with a To tag added when the request had none (RFC 3261 §8.2.6.2)
   * and Herald's {@code Server} header. Add headers, then {@link #respond(Response)}.
   */
  public Response createResponse(int status, String reason) {
    return createResponse(status, reason, null);
  }

  /** As {@link #createResponse(int, String)}, with the given To tag when the request had none. */
  public Response createResponse(int status, String reason, String toTag) {
    try {
      Response response = SipMessages.MESSAGES.createResponse(status, request);
      if (reason != null) {
        response.setReasonPhrase(sanitizeReason(reason));
      }
      ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
      if (status > 100 && to != null && to.getTag() == null) {
        to.setTag(toTag != null ? toTag : SipMessages.newTag());
      }
      response.setHeader(SipMessages.HEADERS.createServerHeader(java.util.List.of(product)));
      return response;
    } catch (ParseException e) {
      throw new IllegalStateException("cannot build a " + status + " response", e);
    }
  }

  /** Answers with the rejection's status, reason phrase and headers. */
  public void reject(Rejection rejection) {
    Response r = createResponse(rejection.status(), rejection.reason());
    try {
      for (java.util.Map.Entry<String, String> h : rejection.headers().entrySet()) {
        r.setHeader(SipMessages.HEADERS.createHeader(h.getKey(), h.getValue()));
      }
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad header in " + rejection, e);
    }
    respond(r);
  }

  /** Answers with a bare response: status and reason phrase. */
  public void respond(int status, String reason) {
    respond(createResponse(status, reason));
  }

  /**
   * Sends the response through the server transaction (JAIN-SIP's or Herald's own), or statelessly
   * when the stack would not make one (a request too broken for a transaction still deserves its
   * 4xx).
   */
  public void respond(Response response) {
    if (!answered.compareAndSet(false, true)) {
      LOG.warn(
          "{} {} answered twice; second answer {} dropped",
          request.getMethod(),
          request.getRequestURI(),
          response.getStatusCode());
      return;
    }
    try {
      if (ownTransaction != null) {
        ownTransaction.send(response);
      } else if (transaction != null) {
        transaction.sendResponse(response);
      } else {
        provider.sendResponse(response);
      }
      holdConnectionFor(response);
    } catch (Exception e) {
      // The peer is gone or the transaction already ended; nothing else can be done for it.
      LOG.warn(
          "could not send {} to {} {}: {}",
          response.getStatusCode(),
          request.getMethod(),
          request.getRequestURI(),
          e.toString());
    }
  }

  /**
   * A 2xx to REGISTER or SUBSCRIBE over TCP: the registration or subscription may need this
   * connection to reach the client (behind NAT, RFC 5626 §3), so it is not closed as idle before
   * the time granted runs out.
   */
  private void holdConnectionFor(Response response) {
    String method = request.getMethod();
    if (response.getStatusCode() / 100 != 2
        || !ListeningPoint.TCP.equalsIgnoreCase(transport())
        || !(method.equals(Request.REGISTER) || method.equals(Request.SUBSCRIBE))) {
      return;
    }
    long granted = grantedSeconds(response);
    if (granted > 0) {
      connectionHold.hold(sourceAddress, sourcePort, granted);
    }
  }

  /**
   * The longest time a 2xx grants: its Expires, or a Contact's expires (REGISTER, RFC 3261 §10.3).
   */
  static long grantedSeconds(Response response) {
    long granted = 0;
    ExpiresHeader expires = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
    if (expires != null) {
      granted = expires.getExpires();
    }
    java.util.ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
    while (contacts != null && contacts.hasNext()) {
      int e = ((ContactHeader) contacts.next()).getExpires();
      granted = Math.max(granted, e);
    }
    return granted;
  }

  /** Keeps a TCP connection, known by its peer's address and port, open for a while. */
  @FunctionalInterface
  interface ConnectionHold {
    ConnectionHold NONE = (address, port, seconds) -> {};

    void hold(String address, int port, long seconds);
  }

  /**
   * Reason phrases are free text on one line (RFC 3261 §25.1, Reason-Phrase): no CR or LF, and
   * bounded so that a reason built from input cannot bloat a response.
   */
  static String sanitizeReason(String reason) {
    StringBuilder sb = new StringBuilder(Math.min(reason.length(), 120));
    for (int i = 0; i < reason.length() && sb.length() < 120; i++) {
      char c = reason.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return sb.toString();
  }
}
