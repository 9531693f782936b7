package dev.herald.presence;

import dev.herald.directory.AccessPolicy;
import dev.herald.presence.EventPackage.AcceptedType;
import dev.herald.sip.IncomingRequest;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestHandler;
import dev.herald.sip.SipMessages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.sip.header.AcceptHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * SUBSCRIBE (RFC 6665, RFC 3856, RFC 3857): reads the event and the body type the watcher accepts,
 * checks who may subscribe, names the watcher, then hands the request to the engine. The 200
 * carries the dialog's To tag, Expires and a Contact.
 */
public final class SubscribeHandler implements RequestHandler {
  private final PresenceEngine engine;
  private final AccessPolicy access;

  public SubscribeHandler(PresenceEngine engine, AccessPolicy access) {
    this.engine = engine;
    this.access = access;
  }

  @Override
  public void handle(IncomingRequest in) {
    EventPackage pkg = SipRequests.eventPackage(in, engine, engine.eventPackageNames());
    if (pkg == null) {
      return;
    }
    String contentType = negotiate(in, pkg);
    if (contentType == null) {
      Response r =
          in.createResponse(
              Response.NOT_ACCEPTABLE,
              "Not Acceptable ("
                  + pkg.name()
                  + " is delivered as "
                  + pkg.acceptedTypes().get(0).sent()
                  + ")");
      List<String> types = new ArrayList<>();
      for (AcceptedType t : pkg.acceptedTypes()) {
        types.add(t.accepted());
      }
      SipRequests.addEach(r, "Accept", types);
      in.respond(r);
      return;
    }
    boolean inDialog = ((ToHeader) in.request().getHeader(ToHeader.NAME)).getTag() != null;
    String presentity =
        SipRequests.presentity(
            inDialog
                ? ((ToHeader) in.request().getHeader(ToHeader.NAME)).getAddress().getURI()
                : in.request().getRequestURI());
    if (presentity == null) {
      in.respond(Response.NOT_FOUND, "Not Found (Request-URI names no presentity)");
      return;
    }
    String watcher = null;
    if (!inDialog) {
      // RFC 3857: watcher information is for the presentity itself (and trusted peers).
      Rejection denied =
          pkg instanceof WatcherInfoPackage
              ? access.mayWatchWatchers(in.identity(), presentity)
              : access.maySubscribe(in.identity(), presentity);
      if (denied != null) {
        in.reject(denied);
        return;
      }
      watcher =
          access.watcher(
              in.identity(),
              SipRequests.watcher(
                  ((FromHeader) in.request().getHeader(FromHeader.NAME)).getAddress().getURI()));
      // A fetch (Expires: 0) holds nothing; a trusted peer (a trunk) acts for many users.
      Integer asked = SipRequests.expires(in);
      if (!in.identity().isTrustedPeer() && (asked == null || asked > 0)) {
        Rejection full = engine.checkWatcherLimit(watcher);
        if (full != null) {
          in.reject(full);
          return;
        }
      }
    }
    EventHeader event = (EventHeader) in.request().getHeader(EventHeader.NAME);
    String eventValue =
        event.getEventId() == null ? pkg.name() : pkg.name() + ";id=" + event.getEventId();
    SubscribeRequest request =
        new SubscribeRequest(
            new Resource(presentity, pkg.name()),
            eventValue,
            contentType,
            SipRequests.expires(in),
            in.request(),
            in.listenPoint(),
            watcher,
            accepts(in, PresencePackage.CPIM_PIDF));
    engine.subscribe(
        request,
        new SubscribeReply() {
          @Override
          public void accepted(String localTag, int expires) {
            Response r = in.createResponse(Response.OK, "OK", localTag);
            r.setHeader(SipRequests.header("Expires", String.valueOf(expires)));
            r.setHeader(SipMessages.contact(in.listenPoint()));
            in.respond(r);
          }

          @Override
          public void rejected(Rejection rejection) {
            in.reject(rejection);
          }
        });
  }

  /**
   * The Content-Type to send: the package's first type the watcher accepts; with no Accept, the
   * package default (RFC 6665 §4.1.2); null when nothing matches (406).
   */
  static String negotiate(IncomingRequest in, EventPackage pkg) {
    List<String> accepted = new ArrayList<>();
    Iterator<?> it = in.request().getHeaders(AcceptHeader.NAME);
    while (it.hasNext()) {
      AcceptHeader a = (AcceptHeader) it.next();
      String type = a.getContentType() == null ? "" : a.getContentType();
      String sub = a.getContentSubType() == null ? "" : a.getContentSubType();
      if (!type.isEmpty()) {
        accepted.add((type + "/" + sub).toLowerCase(Locale.ROOT));
      }
    }
    if (accepted.isEmpty()) {
      return in.request().getHeader(AcceptHeader.NAME) == null
          ? pkg.acceptedTypes().get(0).sent()
          : null;
    }
    for (AcceptedType t : pkg.acceptedTypes()) {
      for (String a : accepted) {
        if (matches(a, t.accepted())) {
          return t.sent();
        }
      }
    }
    return null;
  }

  /** Whether the watcher's Accept names {@code type} itself (not through a wildcard). */
  static boolean accepts(IncomingRequest in, String type) {
    Iterator<?> it = in.request().getHeaders(AcceptHeader.NAME);
    while (it.hasNext()) {
      AcceptHeader a = (AcceptHeader) it.next();
      String named = (a.getContentType() + "/" + a.getContentSubType()).toLowerCase(Locale.ROOT);
      if (named.equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String range, String type) {
    if (range.equals("*/*") || range.equals(type)) {
      return true;
    }
    return range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1));
  }
}
