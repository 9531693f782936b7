package dev.herald.presence;

import dev.herald.directory.AccessPolicy;
import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.IncomingRequest;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestHandler;
import java.util.Locale;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.SIPIfMatchHeader;
import javax.sip.message.Response;

/**
 * PUBLISH (RFC 3903): reads and checks the request on the SIP thread (event, body type, body), then
 * hands it to the engine, whose reply becomes the response. Who may publish is the access policy's
 * decision, except for a trunk peer that is the presentity's telephony source, which may always.
 */
public final class PublishHandler implements RequestHandler {
  private final PresenceEngine engine;
  private final AccessPolicy access;
  private final TelephonySources telephony;

  public PublishHandler(PresenceEngine engine, AccessPolicy access) {
    this(engine, access, TelephonySources.NONE);
  }

  /**
   * @param telephony which PUBLISHes are a trunk's telephony presence: their documents are kept as
   *     {@link TelephonyDocument}s, beside the user's own publications
   */
  public PublishHandler(PresenceEngine engine, AccessPolicy access, TelephonySources telephony) {
    this.engine = engine;
    this.access = access;
    this.telephony = telephony;
  }

  @Override
  public void handle(IncomingRequest in) {
    EventPackage named = SipRequests.eventPackage(in, engine, engine.publishablePackageNames());
    if (named == null) {
      return;
    }
    if (!(named instanceof StatePackage pkg)) {
      // RFC 3903 §6 step 2: watcher info, for one, is the server's own state, not published.
      SipRequests.badEvent(
          in,
          "Bad Event (" + named.name() + " cannot be published)",
          engine.publishablePackageNames());
      return;
    }
    String presentity = SipRequests.presentity(in.request().getRequestURI());
    if (presentity == null) {
      in.respond(Response.NOT_FOUND, "Not Found (Request-URI names no presentity)");
      return;
    }
    boolean fromTrunk = telephony.isTelephony(in.sourceAddress(), presentity);
    // A trunk that is the telephony source of the presentity speaks for it, even for a user the
    // directory does not know (telephony-source: not-homed), as its unsolicited NOTIFYs do.
    Rejection denied = fromTrunk ? null : access.mayPublish(in.identity(), presentity);
    if (denied != null) {
      in.reject(denied);
      return;
    }
    SIPIfMatchHeader ifMatch = (SIPIfMatchHeader) in.request().getHeader(SIPIfMatchHeader.NAME);
    byte[] body = in.request().getRawContent();
    Object document = null;
    if (body != null && body.length > 0) {
      ContentTypeHeader ct = (ContentTypeHeader) in.request().getHeader(ContentTypeHeader.NAME);
      String type =
          ct == null
              ? "(none)"
              : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(Locale.ROOT);
      if (!type.equals(pkg.publishContentType())) {
        Response r =
            in.createResponse(
                Response.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Media Type ("
                    + type
                    + "; "
                    + pkg.name()
                    + " takes "
                    + pkg.publishContentType()
                    + ")");
        r.setHeader(SipRequests.header("Accept", pkg.publishContentType()));
        in.respond(r);
        return;
      }
      try {
        document = pkg.parse(body);
      } catch (BadDocumentException e) {
        in.respond(Response.BAD_REQUEST, "Bad Request (" + e.getMessage() + ")");
        return;
      }
      if (document instanceof PidfDocument pidf && fromTrunk) {
        document = new TelephonyDocument(pidf);
      }
    }
    PublishRequest request =
        new PublishRequest(
            new Resource(presentity, pkg.name()),
            ifMatch == null ? null : ifMatch.getETag(),
            SipRequests.expires(in),
            document);
    engine.publish(
        request,
        new PublishReply() {
          @Override
          public void accepted(String etag, int expires) {
            Response r = in.createResponse(Response.OK, "OK");
            r.setHeader(SipRequests.header("SIP-ETag", etag));
            r.setHeader(SipRequests.header("Expires", String.valueOf(expires)));
            in.respond(r);
          }

          @Override
          public void rejected(Rejection rejection) {
            in.reject(rejection);
          }
        });
  }
}
