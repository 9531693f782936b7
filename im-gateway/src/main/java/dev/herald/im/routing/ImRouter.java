package dev.herald.im.routing;

import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.mapping.AddressMappingException;
import dev.herald.im.mapping.ImText;
import dev.herald.im.mapping.SipToXmpp;
import dev.herald.im.mapping.StanzaError;
import dev.herald.im.mapping.XmppToSip;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.sip.IncomingRequest;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestHandler;
import dev.herald.sip.SipMessages;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubjectHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note. A MESSAGE that passed digest authentication must name its sender's own address in
 * From (SipUsers.maySendAs; trusted peers send for anyone): checked before routing, on the SIP
 * thread, as PUBLISH's and REGISTER's checks are.
 *
 * Where a message goes (ARCHITECTURE: MESSAGE -> ImRouter -> local SIP user | CUCM trunk | XMPP
 * component), decided on the recipient's lane, in this order (TrunkPresentities' precedence):
 *
 *   anyone registered                                -> each registered device (a fork)
 *   listed in a trunk's telephony-source             -> the trunk (B2BUA leg), 503 if it is down
 *   a user of the directory                          -> 480 (no offline store)
 *   otherwise, a SIP domain paired with XMPP         -> the XMPP user, or 503 while the link is down
 *   otherwise, a not-homed trunk                     -> the trunk, 503 if it is down
 *   otherwise                                        -> 404
 *
 * SIP -> XMPP has no delivery report: XMPP answers a message only when it fails (an error stanza
 * with the same id). So the SIP transaction is held for xmpp.message-error-wait-ms: an error
 * within it becomes the SIP response (RFC 7247 §7.1), and at its end the sender gets 202 Accepted
 * (RFC 3428 §7: accepted, not known to be delivered). An error that comes later, within
 * LATE_ERROR_LINGER, reaches the sender as a MESSAGE from the XMPP user's SIP address saying what
 * failed. If the component's connection is lost while messages wait, they get 503 with
 * Retry-After at once (delivery unknown: the sender may resend, which may duplicate, never lose).
 *
 * XMPP -> SIP: a <message> with a body goes to the SIP user's devices as a fork; a final error
 * (or a timeout) comes back to the XMPP sender as an error stanza (RFC 7247 §7.2).
 */

/**
 * Routes instant messages: SIP MESSAGE requests (RFC 3428) to a local user's devices or to XMPP
 * (RFC 7572), and XMPP {@code <message>} stanzas to SIP users' devices. Register it as the MESSAGE
 * handler; hand it the component's message stanzas ({@link #xmppMessage}) and state changes ({@link
 * #xmppStateChanged}).
 */
public final class ImRouter implements RequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ImRouter.class);

  /** Retry-After of a 503 for a trunk's user while no peer of the trunk is in service. */
  static final int TRUNK_RETRY_AFTER_SECONDS = 30;

  /** How long an XMPP error for a message already answered 202 is still matched to its sender. */
  static final Duration LATE_ERROR_LINGER = Duration.ofSeconds(60);

  /** The XMPP side of the router: the address mapping, the component, the error wait. */
  public record XmppSide(
      AddressMapping mapping, Supplier<XmppComponent> component, Duration errorWait) {
    public XmppSide {
      Objects.requireNonNull(mapping, "mapping");
      Objects.requireNonNull(component, "component");
      if (errorWait.isNegative()) {
        throw new IllegalArgumentException("the error wait cannot be negative: " + errorWait);
      }
    }
  }

  private final SipUsers users;
  private final SipSender sender;
  private final Lanes lanes;
  private final Timers timers;
  private final Optional<XmppSide> xmpp;
  private final TrunkHomes trunks;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final String idPrefix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  private final AtomicLong ids = new AtomicLong();

  public ImRouter(
      SipUsers users, SipSender sender, Lanes lanes, Timers timers, Optional<XmppSide> xmpp) {
    this(users, sender, lanes, timers, xmpp, TrunkHomes.NONE);
  }

  /** A router that also sends messages for users homed on CUCM trunks to their trunk. */
  public ImRouter(
      SipUsers users,
      SipSender sender,
      Lanes lanes,
      Timers timers,
      Optional<XmppSide> xmpp,
      TrunkHomes trunks) {
    this.users = Objects.requireNonNull(users, "users");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.lanes = Objects.requireNonNull(lanes, "lanes");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.xmpp = Objects.requireNonNull(xmpp, "xmpp");
    this.trunks = Objects.requireNonNull(trunks, "trunks");
  }

  // ---------------------------------------------------------------- where a message goes

  /** Where a message to a SIP address of record goes. */
  public sealed interface Route {}

  /** To a local user's registered devices. */
  public record Devices(List<String> contacts) implements Route {}

  /** A local user without a registered device (Herald stores no offline messages). */
  public record NotRegistered() implements Route {}

  /** To a user homed on a CUCM trunk: Herald's own MESSAGE leg to {@code target}. */
  public record ToTrunk(String trunk, String target) implements Route {}

  /** To a user homed on a CUCM trunk while no peer of the trunk is in service. */
  public record TrunkDown(String trunk) implements Route {}

  /** To an XMPP user. */
  public record ToXmpp(EntityBareJid jid) implements Route {}

  /** To an XMPP user while the component's link is down. */
  public record XmppDown(long retryAfterSeconds) implements Route {}

  /** Nobody Herald can reach; {@code why} says so. */
  public record NoSuchUser(String why) implements Route {}

  /** Whether {@code uri} is a SIP or SIPS URI, the only kinds Herald can send a request to. */
  static boolean isSipUri(String uri) {
    return uri.regionMatches(true, 0, "sip:", 0, 4) || uri.regionMatches(true, 0, "sips:", 0, 5);
  }

  /** Decides where a message to {@code aor} goes (see the design note). */
  public Route route(String aor) {
    List<String> registered = users.contacts(aor);
    // Only SIP and SIPS contacts can take a MESSAGE: a REGISTER may bind any URI (tel:, mailto:),
    // and sending to one made JAIN-SIP's router throw, logged at ERROR (fuzzing finding). A user
    // whose devices are all such is not reachable over SIP: 480, as with no device.
    List<String> contacts = registered.stream().filter(ImRouter::isSipUri).toList();
    if (!contacts.isEmpty()) {
      return new Devices(contacts);
    }
    if (!registered.isEmpty()) {
      return new NotRegistered();
    }
    boolean known = users.isKnown(aor);
    Optional<TrunkHomes.Home> home = trunks.home(aor, known);
    if (home.isPresent() && !home.get().notHomed()) {
      return toTrunk(home.get());
    }
    if (known) {
      return new NotRegistered();
    }
    if (xmpp.isEmpty()) {
      return home.map(ImRouter::toTrunk).orElseGet(() -> new NoSuchUser("no user " + aor));
    }
    EntityBareJid jid;
    try {
      jid = xmpp.get().mapping().sipToXmppUser(aor);
    } catch (AddressMappingException e) {
      return home.map(ImRouter::toTrunk)
          .orElseGet(
              () ->
                  new NoSuchUser(
                      "no user " + aor + ", and no XMPP user either: " + e.getMessage()));
    }
    XmppComponent component = xmpp.get().component().get();
    if (component == null || !component.isUp()) {
      return new XmppDown(component == null ? 1 : Math.max(1, component.retryAfter().toSeconds()));
    }
    return new ToXmpp(jid);
  }

  private static Route toTrunk(TrunkHomes.Home home) {
    return home.target()
        .<Route>map(target -> new ToTrunk(home.trunk(), target))
        .orElseGet(() -> new TrunkDown(home.trunk()));
  }

  // ---------------------------------------------------------------- SIP MESSAGE

  @Override
  public void handle(IncomingRequest in) {
    Request request = in.request();
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    SubjectHeader subject = (SubjectHeader) request.getHeader(SubjectHeader.NAME);
    byte[] raw = request.getRawContent();
    MessageBodies.Result body =
        MessageBodies.read(
            type == null ? null : type.getContentType() + "/" + type.getContentSubType(),
            type == null ? null : type.getParameter("charset"),
            raw == null ? new byte[0] : raw,
            subject == null ? null : subject.getSubject());
    if (body instanceof MessageBodies.Refused refused) {
      reject(in, refused.rejection());
      return;
    }
    ImText text = ((MessageBodies.Text) body).text();
    SipURI target = (SipURI) request.getRequestURI(); // the listener lets only sip/sips URIs in
    if (target.getUser() == null || target.getUser().isEmpty()) {
      in.respond(Response.NOT_FOUND, "Not Found (the Request-URI names no user)");
      return;
    }
    String aor = "sip:" + target.getUser() + "@" + target.getHost().toLowerCase(Locale.ROOT);
    String senderAor =
        aorOf(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI());
    Rejection forged = users.maySendAs(in.identity(), senderAor);
    if (forged != null) {
      LOG.info(
          "MESSAGE to {} refused: {} {} (identity {})",
          aor,
          forged.status(),
          forged.reason(),
          in.identity());
      reject(in, forged);
      return;
    }
    lanes.execute(
        aor,
        () -> {
          try {
            deliver(in, aor, senderAor, text);
          } catch (RuntimeException e) {
            LOG.error("MESSAGE to {} failed", aor, e);
            if (!in.isAnswered()) {
              in.respond(Response.SERVER_INTERNAL_ERROR, "Server Internal Error (routing failed)");
            }
          }
        });
  }

  private void deliver(IncomingRequest in, String aor, String senderAor, ImText text) {
    Route route = route(aor);
    if (route instanceof Devices devices) {
      relayToDevices(in, aor, devices.contacts());
    } else if (route instanceof ToTrunk trunk) {
      relayToTrunk(in, aor, trunk);
    } else if (route instanceof TrunkDown down) {
      LOG.info("MESSAGE to {} refused: no peer of trunk {} is in service", aor, down.trunk());
      reject(
          in,
          Rejection.of(
              Response.SERVICE_UNAVAILABLE,
              "Service Unavailable (no peer of trunk " + down.trunk() + " is in service)",
              "Retry-After",
              String.valueOf(TRUNK_RETRY_AFTER_SECONDS)));
    } else if (route instanceof NotRegistered) {
      in.respond(
          Response.TEMPORARILY_UNAVAILABLE,
          "Temporarily Unavailable ("
              + aor
              + " has no registered device; Herald keeps no offline messages)");
    } else if (route instanceof XmppDown down) {
      LOG.info("MESSAGE to {} refused: the XMPP component is down", aor);
      reject(
          in,
          Rejection.of(
              Response.SERVICE_UNAVAILABLE,
              "Service Unavailable (the XMPP gateway is not connected)",
              "Retry-After",
              String.valueOf(down.retryAfterSeconds())));
    } else if (route instanceof NoSuchUser none) {
      in.respond(Response.NOT_FOUND, "Not Found (" + none.why() + ")");
    } else {
      toXmpp(in, aor, senderAor, ((ToXmpp) route).jid(), text);
    }
  }

  private void relayToDevices(IncomingRequest in, String aor, List<String> contacts) {
    List<Request> requests = new ArrayList<>(contacts.size());
    for (String contact : contacts) {
      try {
        requests.add(MessageRequests.relay(in.request(), contact));
      } catch (ParseException e) {
        LOG.warn("MESSAGE to {}: contact {} unusable: {}", aor, contact, e.getMessage());
      }
    }
    if (requests.isEmpty()) {
      in.respond(
          Response.TEMPORARILY_UNAVAILABLE,
          "Temporarily Unavailable (no registered contact of " + aor + " can be reached)");
      return;
    }
    Fork.start(
        sender,
        requests,
        (status, reason) -> {
          if (status >= 300) {
            LOG.info("MESSAGE to {} failed at its devices: {} {}", aor, status, reason);
          }
          in.respond(status, reason);
        });
  }

  /**
   * A user homed on a CUCM trunk: Herald's own MESSAGE to the trunk's peer (a B2BUA leg, as to a
   * device), its final response back to the sender (a timeout is 408, a 503 becomes 500).
   */
  private void relayToTrunk(IncomingRequest in, String aor, ToTrunk trunk) {
    Request request;
    try {
      request = MessageRequests.relay(in.request(), trunk.target());
    } catch (ParseException e) {
      LOG.warn("MESSAGE to {}: trunk target {} unusable: {}", aor, trunk.target(), e.getMessage());
      in.respond(
          Response.SERVER_INTERNAL_ERROR,
          "Server Internal Error (trunk " + trunk.trunk() + " cannot be addressed)");
      return;
    }
    Fork.start(
        sender,
        List.of(request),
        (status, reason) -> {
          if (status >= 300) {
            LOG.info("MESSAGE to {} failed at trunk {}: {} {}", aor, trunk.trunk(), status, reason);
          }
          in.respond(status, reason);
        });
  }

  private void toXmpp(
      IncomingRequest in, String aor, String senderAor, EntityBareJid to, ImText text) {
    XmppSide side = xmpp.orElseThrow();
    EntityBareJid from;
    try {
      from = side.mapping().sipUserToJid(senderAor);
    } catch (AddressMappingException e) {
      in.respond(
          Response.FORBIDDEN,
          "Forbidden (the sender cannot appear in XMPP: " + e.getMessage() + ")");
      return;
    }
    String id = "herald-" + idPrefix + "-" + Long.toString(ids.incrementAndGet(), 36);
    String thread = ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId();
    XmlElement stanza = SipToXmpp.message(text, from.toString(), to.toString(), id, thread);
    Pending p = new Pending(in, senderAor, aor);
    pending.put(id, p);
    XmppComponent component = side.component().get();
    if (component == null || !component.send(stanza)) {
      pending.remove(id);
      reject(
          in,
          Rejection.of(
              Response.SERVICE_UNAVAILABLE,
              "Service Unavailable (the XMPP gateway is not connected)",
              "Retry-After",
              String.valueOf(
                  component == null ? 1 : Math.max(1, component.retryAfter().toSeconds()))));
      return;
    }
    if (side.errorWait().isZero()) {
      accept(p);
    } else {
      timers.schedule(side.errorWait(), () -> accept(p));
    }
    timers.schedule(side.errorWait().plus(LATE_ERROR_LINGER), () -> pending.remove(id));
  }

  /** The wait ended without an XMPP error: 202, the message is with the XMPP server. */
  private void accept(Pending p) {
    if (p.decided.compareAndSet(false, true)) {
      p.answered().respond(Response.ACCEPTED, "Accepted (handed to the XMPP server)");
    }
  }

  /**
   * The component's link changed state. When it is lost, the messages whose SIP transaction still
   * waits get 503 with Retry-After: whether XMPP delivered them is unknown.
   */
  public void xmppStateChanged(XmppComponent.State state) {
    if (state != XmppComponent.State.DOWN && state != XmppComponent.State.CLOSED) {
      return;
    }
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.decided.compareAndSet(false, true)) {
        pending.remove(e.getKey());
        LOG.info("MESSAGE to {}: XMPP link lost before it was confirmed; 503 to its sender", p.aor);
        reject(
            p.answered(),
            Rejection.of(
                Response.SERVICE_UNAVAILABLE,
                "Service Unavailable (the XMPP link was lost; delivery is unknown)",
                "Retry-After",
                "1"));
      }
    }
  }

  // ---------------------------------------------------------------- XMPP <message>

  /**
   * A {@code <message>} stanza from the XMPP server: an error for one Herald sent, or a message to
   * a SIP user. Called on the component's I/O thread: the work goes to the recipient's lane.
   */
  public void xmppMessage(XmlElement stanza) {
    String type = stanza.attribute("type").orElse("normal");
    if (type.equals("error")) {
      xmppError(stanza);
      return;
    }
    if (type.equals("groupchat")) {
      replyError(
          stanza,
          new StanzaError(
              "feature-not-implemented", "cancel", "Herald does not carry groupchat to SIP"));
      return;
    }
    Optional<ImText> text = XmppToSip.text(stanza);
    if (text.isEmpty()) {
      LOG.debug("XMPP message without a body (chat state, receipt) not relayed: {}", stanza);
      return;
    }
    if (text.get().body().getBytes(StandardCharsets.UTF_8).length > MessageBodies.MAX_BODY_BYTES) {
      replyError(
          stanza,
          new StanzaError(
              "policy-violation",
              "modify",
              "Herald relays messages of at most "
                  + MessageBodies.MAX_BODY_BYTES
                  + " bytes to SIP (RFC 3428 §8)"));
      return;
    }
    XmppSide side = xmpp.orElseThrow(() -> new IllegalStateException("no XMPP side configured"));
    String recipient;
    String senderSip;
    try {
      recipient = side.mapping().jidToSipUser(bareJid(stanza.attribute("to").orElse("")));
    } catch (AddressMappingException e) {
      replyError(
          stanza,
          e.reason() == AddressMappingException.Reason.DOMAIN_NOT_MAPPED
              ? new StanzaError("item-not-found", "cancel", e.getMessage())
              : new StanzaError("jid-malformed", "modify", e.getMessage()));
      return;
    } catch (XmppStringprepException e) {
      replyError(stanza, new StanzaError("jid-malformed", "modify", e.getMessage()));
      return;
    }
    try {
      senderSip = side.mapping().xmppUserToSip(bareJid(stanza.attribute("from").orElse("")));
    } catch (AddressMappingException | XmppStringprepException e) {
      replyError(
          stanza,
          new StanzaError(
              "forbidden", "auth", "the sender has no SIP address here: " + e.getMessage()));
      return;
    }
    String thread = XmppToSip.thread(stanza);
    lanes.execute(
        recipient,
        () -> {
          try {
            deliverFromXmpp(stanza, recipient, senderSip, thread, text.get());
          } catch (RuntimeException e) {
            LOG.error("XMPP message to {} failed", recipient, e);
            replyError(stanza, new StanzaError("internal-server-error", "wait", "routing failed"));
          }
        });
  }

  private void deliverFromXmpp(
      XmlElement stanza, String recipient, String senderSip, String thread, ImText text) {
    List<String> contacts = users.contacts(recipient);
    if (contacts.isEmpty()) {
      replyError(
          stanza,
          users.isKnown(recipient)
              ? new StanzaError(
                  "recipient-unavailable",
                  "wait",
                  recipient + " has no registered device; Herald keeps no offline messages")
              : new StanzaError("item-not-found", "cancel", "no SIP user " + recipient));
      return;
    }
    String callId = MessageRequests.isCallId(thread) ? thread : null;
    List<Request> requests = new ArrayList<>(contacts.size());
    for (String contact : contacts) {
      try {
        requests.add(MessageRequests.create(contact, senderSip, recipient, callId, text));
      } catch (ParseException e) {
        LOG.warn("XMPP message to {}: contact {} unusable: {}", recipient, contact, e.getMessage());
      }
    }
    if (requests.isEmpty()) {
      replyError(
          stanza,
          new StanzaError(
              "recipient-unavailable", "wait", "no contact of " + recipient + " can be reached"));
      return;
    }
    Fork.start(
        sender,
        requests,
        (status, reason) -> {
          if (status >= 300) {
            LOG.info("XMPP message to {} failed at its devices: {} {}", recipient, status, reason);
            replyError(stanza, SipToXmpp.error(status, "SIP " + status + " " + reason));
          }
        });
  }

  /** An error stanza for a message Herald sent: to the SIP sender as a response or a MESSAGE. */
  private void xmppError(XmlElement stanza) {
    String id = stanza.attribute("id").orElse("");
    Pending p = pending.remove(id);
    StanzaError error = XmppToSip.error(stanza);
    if (p == null) {
      LOG.info("XMPP error {} for unknown or expired message id '{}' dropped", error, id);
      return;
    }
    int status = XmppToSip.status(error.condition());
    String detail = error.condition() + (error.text().isEmpty() ? "" : ": " + error.text());
    if (p.decided.compareAndSet(false, true)) {
      LOG.info("MESSAGE to {} refused by XMPP: {}", p.aor, detail);
      p.answered().respond(status, reason(status) + " (XMPP: " + detail + ")");
      return;
    }
    notifySender(p, detail);
  }

  /**
   * The sender already got 202: a MESSAGE from the recipient's SIP address tells them what failed,
   * sent to their registered devices, or where their MESSAGE came from when they have none.
   */
  private void notifySender(Pending p, String detail) {
    List<String> targets = users.contacts(p.senderAor);
    if (targets.isEmpty()) {
      targets = List.of(p.sourceUri);
    }
    ImText notice =
        new ImText(
            "Herald could not deliver your message to "
                + p.aor
                + ": the XMPP server says "
                + detail,
            "Message not delivered");
    List<Request> requests = new ArrayList<>();
    for (String target : targets) {
      try {
        requests.add(MessageRequests.create(target, p.aor, p.senderAor, null, notice));
      } catch (ParseException e) {
        LOG.warn("cannot tell {} of a failed message: {}", p.senderAor, e.getMessage());
      }
    }
    if (requests.isEmpty()) {
      LOG.warn(
          "message from {} to {} failed ({}); the sender cannot be told",
          p.senderAor,
          p.aor,
          detail);
      return;
    }
    LOG.info(
        "message from {} to {} failed after 202 ({}); telling the sender",
        p.senderAor,
        p.aor,
        detail);
    Fork.start(
        sender,
        requests,
        (status, reason) -> {
          if (status >= 300) {
            LOG.warn(
                "the failure notice to {} was not delivered either: {} {}",
                p.senderAor,
                status,
                reason);
          }
        });
  }

  private void replyError(XmlElement stanza, StanzaError error) {
    XmppComponent component = xmpp.map(x -> x.component().get()).orElse(null);
    XmlElement reply = SipToXmpp.errorReply(stanza, error);
    if (component == null || !component.send(reply)) {
      LOG.warn("XMPP error {} for {} not sent: the XMPP link is down", error, stanza);
    }
  }

  private void reject(IncomingRequest in, Rejection rejection) {
    if (rejection.status() != Response.UNSUPPORTED_MEDIA_TYPE) {
      in.reject(rejection);
      return;
    }
    Response r = in.createResponse(rejection.status(), rejection.reason());
    try {
      for (String type : MessageBodies.ACCEPT.split(",\\s*")) {
        String[] parts = type.split("/");
        r.addHeader(SipMessages.HEADERS.createAcceptHeader(parts[0], parts[1]));
      }
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
    in.respond(r);
  }

  private static EntityBareJid bareJid(String text) throws XmppStringprepException {
    Jid jid = JidCreate.from(text);
    EntityBareJid bare = jid.asEntityBareJidIfPossible();
    if (bare == null) {
      throw new XmppStringprepException(text, "not a user's JID (no localpart)");
    }
    return bare;
  }

  private static String aorOf(javax.sip.address.URI uri) {
    if (uri instanceof SipURI sip && sip.getUser() != null) {
      return "sip:" + sip.getUser() + "@" + sip.getHost().toLowerCase(Locale.ROOT);
    }
    return uri.toString();
  }

  private static String reason(int status) {
    return switch (status) {
      case 302 -> "Moved Temporarily";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 410 -> "Gone";
      case 480 -> "Temporarily Unavailable";
      case 503 -> "Service Unavailable";
      default -> "Server Internal Error";
    };
  }

  /** A SIP MESSAGE handed to XMPP: its transaction until answered, then its sender for a notice. */
  private static final class Pending {
    /** The request until it is answered; then dropped, as the entry lingers for late errors. */
    private IncomingRequest in;

    final String senderAor;
    final String aor;
    final String sourceUri;
    final AtomicBoolean decided = new AtomicBoolean();

    /** The request, to be answered now by the caller that set {@link #decided}; once. */
    synchronized IncomingRequest answered() {
      IncomingRequest request = in;
      in = null;
      return request;
    }

    Pending(IncomingRequest in, String senderAor, String aor) {
      this.in = in;
      this.senderAor = senderAor;
      this.aor = aor;
      String host =
          in.sourceAddress().indexOf(':') >= 0
              ? "[" + in.sourceAddress() + "]"
              : in.sourceAddress();
      this.sourceUri =
          (in.listenPoint().tls() ? "sips:" : "sip:")
              + host
              + ":"
              + in.sourcePort()
              + (in.transport().equals("tcp") ? ";transport=tcp" : "");
    }
  }
}
