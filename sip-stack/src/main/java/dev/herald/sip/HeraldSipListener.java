package dev.herald.sip;

import dev.herald.sip.auth.AuthResult;
import dev.herald.sip.internal.MessageValidation;
import dev.herald.sip.internal.UdpServerTransactions;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AllowHeader;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link SipListener}: the whole path of a request, top to bottom.
 *
 * <ol>
 *   <li>ACK is absorbed (Herald sends no 2xx to INVITE).
 *   <li>A server transaction is found or made, so retransmissions are the stack's business.
 *   <li>Over TLS with an allow list of peers, a peer whose certificate names none of them gets 403
 *       (RFC 3261 §26.3.2.2: the server decides whom it serves by the certificate).
 *   <li>A request that is malformed in a way JAIN-SIP's parser let through gets 400, with what was
 *       wrong as the reason ({@link MessageValidation}): syntax before anything else, so a
 *       malformed INVITE gets 400, not 405.
 *   <li>Max-Forwards 0 gets 483, except OPTIONS addressed to Herald itself, which RFC 3261 §16.3
 *       lets the element answer (keep-alive pings are often sent that way).
 *   <li>A Request-URI that is not sip/sips gets 416; a Require tag Herald does not support, 420.
 *   <li>A domain Herald does not serve gets 404. OPTIONS and NOTIFY (a trunk's unsolicited one) may
 *       also name one of Herald's sockets.
 *   <li>OPTIONS is answered here; other methods go to their handler; a method with no handler gets
 *       405 with Allow.
 * </ol>
 *
 * Every request is answered: a handler that throws gets its request a 500.
 */
final class HeraldSipListener implements SipListener {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldSipListener.class);

  private final SipServerSettings settings;
  private final Map<String, RequestHandler> handlers;
  private final List<String> accept;
  private final List<String> allowEvents;
  private final Set<String> supported;
  private final Map<SipProvider, ListenPoint> listenPoints;
  private final List<String> allow;
  private final Set<String> localHosts;
  private final Authentication authentication;
  private final TlsPeers tlsPeers;
  private final OverloadGuard overload;
  private final SourceRateLimiter rateLimiter;
  private final IncomingRequest.ConnectionHold connectionHold;

  HeraldSipListener(
      SipServerSettings settings,
      Map<String, RequestHandler> handlers,
      List<String> accept,
      List<String> allowEvents,
      List<String> supported,
      Map<SipProvider, ListenPoint> listenPoints,
      Authentication authentication,
      OverloadGuard overload,
      SourceRateLimiter rateLimiter,
      IncomingRequest.ConnectionHold connectionHold) {
    this.connectionHold = connectionHold;
    this.authentication = authentication;
    this.overload = overload;
    this.rateLimiter = rateLimiter;
    this.settings = settings;
    this.handlers = handlers;
    this.accept = accept;
    this.allowEvents = allowEvents;
    this.supported = Set.copyOf(supported);
    this.listenPoints = listenPoints;
    Set<String> methods = new TreeSet<>(handlers.keySet());
    methods.add(Request.OPTIONS);
    this.allow = List.copyOf(methods);
    Set<String> hosts = new TreeSet<>();
    for (ListenPoint lp : settings.listenPoints()) {
      hosts.add(lp.address().toLowerCase(Locale.ROOT));
    }
    this.localHosts = hosts;
    this.tlsPeers =
        settings
            .tls()
            .filter(tls -> !tls.allowedPeerNames().isEmpty())
            .map(tls -> new TlsPeers(tls.allowedPeerNames()))
            .orElse(null);
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    String method = request.getMethod();
    if (Request.ACK.equals(method)) {
      return;
    }
    SipProvider provider = (SipProvider) event.getSource();
    ServerTransaction tx = event.getServerTransaction();
    if (tx == null && refusedForLoad(request, provider)) {
      return;
    }
    if (tx == null) {
      try {
        tx = provider.getNewServerTransaction(request);
      } catch (TransactionAlreadyExistsException e) {
        return; // a retransmission that raced its original: the transaction answers it
      } catch (Exception e) {
        // JAIN-SIP refuses a transaction to some malformed requests (a PUBLISH without Event);
        // they are still answered, statelessly, by the checks below.
        LOG.debug("no transaction for {} from {}: {}", method, source(request), e.toString());
        tx = null;
      }
    }
    process(incoming(request, provider, tx, null));
  }

  /**
   * A request that has Herald's own server transaction over UDP ({@link
   * dev.herald.sip.internal.HeraldSipStack#newSIPServerRequest}): the same path as {@link
   * #processRequest}, answered through {@code tx}. A request refused for load is answered
   * statelessly, as on that path, and its transaction forgotten: a copy of it is a new request.
   */
  void processOwn(
      Request request,
      SipProvider provider,
      UdpServerTransactions.Tx tx,
      UdpServerTransactions transactions) {
    if (refusedForLoad(request, provider)) {
      transactions.forget(tx);
      return;
    }
    process(incoming(request, provider, null, tx));
  }

  /**
   * A request as handlers see it, answered through JAIN-SIP's {@code tx} or Herald's {@code own}.
   */
  private IncomingRequest incoming(
      Request request, SipProvider provider, ServerTransaction tx, UdpServerTransactions.Tx own) {
    return new IncomingRequest(
        request,
        tx,
        own,
        provider,
        listenPoints.get(provider),
        sourceAddress(request),
        ((SIPMessage) request).getRemotePort(),
        settings.product(),
        connectionHold);
  }

  /** Dispatches; every request is answered, a handler that throws gets its request a 500. */
  private void process(IncomingRequest in) {
    Request request = in.request();
    String method = request.getMethod();
    try {
      dispatch(in);
    } catch (RuntimeException e) {
      LOG.error("{} {} from {} failed", method, request.getRequestURI(), source(request), e);
      if (!in.isAnswered()) {
        in.respond(Response.SERVER_INTERNAL_ERROR, "Internal error");
      }
    }
  }

  /**
   * Answers 503 with Retry-After, statelessly (no transaction is created), a request from a source
   * over its rate limit, and a new out-of-dialog request while Herald is overloaded. CANCEL always
   * passes, and in-dialog requests pass the overload check.
   *
   * @return true when the request was refused
   */
  private boolean refusedForLoad(Request request, SipProvider provider) {
    if (Request.CANCEL.equals(request.getMethod())) {
      return false;
    }
    String source = sourceAddress(request);
    if (!rateLimiter.allow(source)) {
      refuse(
          request,
          provider,
          "Service Unavailable (more than "
              + rateLimiter.limit().perSecond()
              + " requests/s from "
              + source
              + ")",
          1);
      return true;
    }
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    if (to == null || to.getTag() != null) {
      return false;
    }
    String why = overload.refusal();
    if (why == null) {
      return false;
    }
    refuse(request, provider, OverloadGuard.reasonPhrase(why), overload.retryAfterSeconds());
    return true;
  }

  /** A stateless 503 with Retry-After: no transaction exists for the request. */
  private void refuse(Request request, SipProvider provider, String reason, int retryAfter) {
    new IncomingRequest(
            request,
            null,
            null,
            provider,
            listenPoints.get(provider),
            sourceAddress(request),
            ((SIPMessage) request).getRemotePort(),
            settings.product(),
            IncomingRequest.ConnectionHold.NONE)
        .reject(
            Rejection.of(
                Response.SERVICE_UNAVAILABLE, reason, "Retry-After", String.valueOf(retryAfter)));
  }

  private void dispatch(IncomingRequest in) {
    Request request = in.request();
    String method = request.getMethod();
    if (!tlsPeerAllowed(in)) {
      in.respond(Response.FORBIDDEN, "Forbidden (TLS peer not allowed)");
      return;
    }
    Optional<Rejection> malformed = MessageValidation.check(request);
    if (malformed.isPresent()) {
      in.reject(malformed.get());
      return;
    }
    URI uri = request.getRequestURI();
    MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
    if (mf != null
        && mf.getMaxForwards() == 0
        && !(Request.OPTIONS.equals(method) && servedOptions(uri))) {
      // RFC 4475 §3.3.11: a request for another domain would have to be forwarded.
      in.respond(Response.TOO_MANY_HOPS, "Too Many Hops (Max-Forwards is 0)");
      return;
    }
    if (!(uri instanceof SipURI sipUri)) {
      in.respond(Response.UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme " + uri.getScheme());
      return;
    }
    List<String> unsupported = unsupportedRequirements(request);
    if (!unsupported.isEmpty() && !Request.CANCEL.equals(method)) {
      Response r = in.createResponse(Response.BAD_EXTENSION, "Bad Extension");
      for (String tag : unsupported) {
        r.addHeader(header(() -> SipMessages.HEADERS.createUnsupportedHeader(tag)));
      }
      in.respond(r);
      return;
    }
    String host = sipUri.getHost() == null ? "" : sipUri.getHost().toLowerCase(Locale.ROOT);
    // An in-dialog request (To tag) is addressed to the Contact Herald gave, one of its sockets;
    // so is a trunk's unsolicited NOTIFY (CUCM sends it to the trunk destination's address).
    boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
    boolean toSocket = Request.OPTIONS.equals(method) || Request.NOTIFY.equals(method) || inDialog;
    boolean served = settings.domains().contains(host) || (toSocket && isLocalHost(host));
    if (!served) {
      in.respond(Response.NOT_FOUND, "Not Found (domain " + host + " is not served here)");
      return;
    }
    if (Request.OPTIONS.equals(method)) {
      in.respond(optionsResponse(in));
      return;
    }
    if (Request.CANCEL.equals(method)) {
      // Herald has no INVITE transactions, so nothing can be cancelled (RFC 3261 §9.2).
      in.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist");
      return;
    }
    RequestHandler handler = handlers.get(method);
    if (handler != null && !authenticate(in)) {
      return;
    }
    if (handler == null) {
      Response r =
          in.createResponse(
              Response.METHOD_NOT_ALLOWED,
              "Method Not Allowed (" + method + " is not handled here)");
      r.setHeader(allowHeader());
      in.respond(r);
      return;
    }
    handler.handle(in);
  }

  /**
   * Establishes who sent the request, or answers it: 401 with a challenge per offered algorithm
   * when credentials are missing, wrong or stale; 400 when they are malformed. True when the
   * handler may run.
   */
  private boolean authenticate(IncomingRequest in) {
    if (authentication == null || !authentication.methods().contains(in.method())) {
      return true;
    }
    if (authentication.trustedSource().test(in.sourceAddress())) {
      in.identity(Identity.TRUSTED_PEER);
      return true;
    }
    Request request = in.request();
    if (hasUnparsableAuthorization(request)) {
      // JAIN-SIP drops a header its parser rejects and keeps only its text; a challenge would
      // make the client send the same broken header again (RFC 3261 §8.2: 400 for a bad header).
      in.respond(Response.BAD_REQUEST, "Bad Request (malformed Authorization header)");
      return false;
    }
    List<AuthorizationHeader> credentials = new ArrayList<>(1);
    Iterator<?> it = request.getHeaders(AuthorizationHeader.NAME);
    while (it.hasNext()) {
      credentials.add((AuthorizationHeader) it.next());
    }
    AuthResult result =
        authentication
            .authenticator()
            .verify(request.getMethod(), request.getRequestURI().toString(), credentials);
    if (result instanceof AuthResult.Authenticated ok) {
      in.identity(Identity.user(ok.username()));
      return true;
    }
    if (result instanceof AuthResult.Rejected rejected) {
      in.respond(rejected.status(), "Bad Request (" + rejected.reason() + ")");
      return false;
    }
    AuthResult.Challenge challenge = (AuthResult.Challenge) result;
    Response r =
        in.createResponse(Response.UNAUTHORIZED, "Unauthorized (" + challenge.reason() + ")");
    for (String value : authentication.authenticator().challenges(challenge.stale())) {
      r.addHeader(
          header(() -> SipMessages.HEADERS.createHeader(WWWAuthenticateHeader.NAME, value)));
    }
    in.respond(r);
    return false;
  }

  /**
   * Whether the request may go on as far as the TLS allow list is concerned. Without a transaction
   * the certificate cannot be looked up, so such a request is refused too.
   */
  private boolean tlsPeerAllowed(IncomingRequest in) {
    if (tlsPeers == null || !in.listenPoint().tls()) {
      return true;
    }
    if (!(in.transaction() instanceof TransactionExt tx)) {
      LOG.info("TLS peer {} refused: no transaction to read its certificate from", source(in));
      return false;
    }
    Certificate[] chain;
    try {
      chain = tx.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      chain = null; // client-auth want: the peer presented no certificate
    }
    if (tlsPeers.allows(chain)) {
      return true;
    }
    LOG.info(
        "TLS peer {} refused: its certificate names {}, none of them allowed",
        source(in),
        chain != null && chain.length > 0 && chain[0] instanceof X509Certificate peer
            ? TlsPeers.names(peer)
            : "nobody (no certificate)");
    return false;
  }

  private static String source(IncomingRequest in) {
    return in.sourceAddress() + ":" + in.sourcePort();
  }

  private static boolean hasUnparsableAuthorization(Request request) {
    java.util.ListIterator<String> it = ((SIPMessage) request).getUnrecognizedHeaders();
    while (it != null && it.hasNext()) {
      if (it.next().regionMatches(true, 0, "Authorization", 0, "Authorization".length())) {
        return true;
      }
    }
    return false;
  }

  /** Whether an OPTIONS to {@code uri} is for Herald itself (a served domain or its socket). */
  private boolean servedOptions(URI uri) {
    if (!(uri instanceof SipURI sip) || sip.getHost() == null) {
      return false;
    }
    String host = sip.getHost().toLowerCase(Locale.ROOT);
    return settings.domains().contains(host) || isLocalHost(host);
  }

  private boolean isLocalHost(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return localHosts.contains(h) || h.equals("localhost");
  }

  private List<String> unsupportedRequirements(Request request) {
    List<String> out = new ArrayList<>(0);
    Iterator<?> it = request.getHeaders(RequireHeader.NAME);
    while (it.hasNext()) {
      String tag = ((RequireHeader) it.next()).getOptionTag();
      if (tag != null && !supported.contains(tag)) {
        out.add(tag);
      }
    }
    return out;
  }

  private Response optionsResponse(IncomingRequest in) {
    Response r = in.createResponse(Response.OK, "OK");
    r.setHeader(allowHeader());
    for (String type : accept) {
      String[] parts = type.split("/", 2);
      r.addHeader(header(() -> SipMessages.HEADERS.createAcceptHeader(parts[0], parts[1])));
    }
    for (String event : allowEvents) {
      r.addHeader(header(() -> SipMessages.HEADERS.createAllowEventsHeader(event)));
    }
    for (String tag : supported) {
      r.addHeader(header(() -> SipMessages.HEADERS.createSupportedHeader(tag)));
    }
    if (supported.isEmpty()) {
      // An empty Supported says "no extensions" explicitly (RFC 3261 §20.37 allows it).
      r.addHeader(header(() -> SipMessages.HEADERS.createHeader(SupportedHeader.NAME, "")));
    }
    return r;
  }

  private AllowHeader allowHeader() {
    return header(() -> SipMessages.HEADERS.createAllowHeader(String.join(", ", allow)));
  }

  /** Headers built from Herald's own constants: a parse failure is a programming error. */
  private static <H> H header(HeaderSupplier<H> supplier) {
    try {
      return supplier.get();
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @FunctionalInterface
  private interface HeaderSupplier<H> {
    H get() throws ParseException;
  }

  @Override
  public void processResponse(ResponseEvent event) {
    ClientTransaction tx = event.getClientTransaction();
    Response response = event.getResponse();
    if (tx == null) {
      LOG.debug("stray response {} dropped", response.getStatusCode());
      return;
    }
    if (response.getStatusCode() >= 200 && tx.getApplicationData() instanceof ResponseCallback cb) {
      cb.completed(RequestResult.of(response));
    }
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    if (!event.isServerTransaction()
        && event.getClientTransaction().getApplicationData() instanceof ResponseCallback cb) {
      cb.completed(RequestResult.timeout());
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    LOG.warn(
        "I/O error towards {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {
    // A client transaction that ends without a final response or timeout (a failed connection)
    // must still complete its callback; after a response this is a no-op (OnceCallback).
    if (!event.isServerTransaction()
        && event.getClientTransaction().getApplicationData() instanceof ResponseCallback cb) {
      cb.completed(RequestResult.transportError());
    }
  }

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {}

  private static String sourceAddress(Request request) {
    InetAddress a = ((SIPMessage) request).getRemoteAddress();
    return a == null ? "" : a.getHostAddress();
  }

  private static String source(Request request) {
    return sourceAddress(request) + ":" + ((SIPMessage) request).getRemotePort();
  }
}
