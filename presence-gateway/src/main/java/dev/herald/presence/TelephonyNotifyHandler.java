package dev.herald.presence;

import dev.herald.presence.pidf.PidfDocument;
import dev.herald.sip.IncomingRequest;
import dev.herald.sip.Rejection;
import dev.herald.sip.RequestHandler;
import java.util.List;
import java.util.Locale;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * A NOTIFY that belongs to no subscription Herald made: CUCM's unsolicited notification of a user's
 * phone state. Accepted from a trunk peer that is the telephony source of the presentity (the From
 * address, the notifier of RFC 6665), with {@code Event: presence} and a PIDF body, and kept as
 * that user's telephony presence; the latest replaces the one before. Anything else gets 481, as a
 * NOTIFY outside any subscription does (RFC 6665 §4.1.3).
 *
 * <p>How long the state stays: the {@code expires} of {@code Subscription-State: active} (or
 * pending), else {@code presence.publish.default-expires}; {@code terminated} removes it.
 *
 * <p>A NOTIFY in a subscription Herald made itself (its Call-ID and To tag name one of {@link
 * SubscriberDialogs}) is checked the same way, answered 200 and handed to those subscriptions.
 */
public final class TelephonyNotifyHandler implements RequestHandler {
  private final PresenceEngine engine;
  private final TelephonySources telephony;
  private final int defaultExpires;
  private final SubscriberDialogs dialogs;

  /**
   * @param defaultExpires seconds a state stays when the NOTIFY gives no expires
   */
  public TelephonyNotifyHandler(
      PresenceEngine engine, TelephonySources telephony, int defaultExpires) {
    this(engine, telephony, defaultExpires, SubscriberDialogs.NONE);
  }

  /**
   * @param defaultExpires seconds a state stays when the NOTIFY gives no expires
   * @param dialogs the subscriptions Herald made, whose NOTIFYs go to them
   */
  public TelephonyNotifyHandler(
      PresenceEngine engine,
      TelephonySources telephony,
      int defaultExpires,
      SubscriberDialogs dialogs) {
    this.engine = engine;
    this.telephony = telephony;
    this.defaultExpires = defaultExpires;
    this.dialogs = dialogs;
  }

  @Override
  public void handle(IncomingRequest in) {
    String toTag = ((ToHeader) in.request().getHeader(ToHeader.NAME)).getTag();
    String callId = ((CallIdHeader) in.request().getHeader(CallIdHeader.NAME)).getCallId();
    if (toTag != null && dialogs.knows(callId, toTag)) {
      inDialog(in);
      return;
    }
    FromHeader from = (FromHeader) in.request().getHeader(FromHeader.NAME);
    String presentity = SipRequests.presentity(from.getAddress().getURI());
    if (presentity == null || !telephony.isTelephony(in.sourceAddress(), presentity)) {
      in.respond(
          Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
          "Call/Transaction Does Not Exist (no subscription, and no trunk is the telephony"
              + " source of "
              + (presentity == null ? "a From without a user" : presentity)
              + ")");
      return;
    }
    EventPackage named = SipRequests.eventPackage(in, engine, List.of(PresencePackage.NAME));
    if (named == null) {
      return;
    }
    if (!(named instanceof PresencePackage pkg)) {
      SipRequests.badEvent(
          in,
          "Bad Event (a trunk notifies presence only, not " + named.name() + ")",
          List.of(PresencePackage.NAME));
      return;
    }
    SubscriptionStateHeader state =
        (SubscriptionStateHeader) in.request().getHeader(SubscriptionStateHeader.NAME);
    boolean terminated =
        state != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(state.getState());
    int expires = state != null && state.getExpires() > 0 ? state.getExpires() : defaultExpires;
    TelephonyDocument document = null;
    if (!terminated) {
      byte[] body = in.request().getRawContent();
      if (body == null || body.length == 0) {
        in.respond(Response.BAD_REQUEST, "Bad Request (a presence NOTIFY needs a PIDF body)");
        return;
      }
      document =
          pidf(in, pkg, body, "a presence NOTIFY needs an " + PresencePackage.PIDF + " body");
      if (document == null) {
        return;
      }
    }
    engine.telephonyNotify(
        new Resource(presentity, pkg.name()),
        document,
        terminated ? 0 : expires,
        new PublishReply() {
          @Override
          public void accepted(String etag, int granted) {
            in.respond(Response.OK, "OK");
          }

          @Override
          public void rejected(Rejection rejection) {
            in.reject(rejection);
          }
        });
  }

  /** A NOTIFY in one of Herald's own subscriptions (RFC 6665 §4.1.3): checked, 200, handed on. */
  private void inDialog(IncomingRequest in) {
    EventPackage named = SipRequests.eventPackage(in, engine, List.of(PresencePackage.NAME));
    if (named == null) {
      return;
    }
    if (!(named instanceof PresencePackage pkg)) {
      SipRequests.badEvent(
          in,
          "Bad Event (Herald subscribed to presence, not " + named.name() + ")",
          List.of(PresencePackage.NAME));
      return;
    }
    SubscriptionStateHeader state =
        (SubscriptionStateHeader) in.request().getHeader(SubscriptionStateHeader.NAME);
    if (state == null) {
      in.respond(Response.BAD_REQUEST, "Bad Request (NOTIFY without Subscription-State)");
      return;
    }
    boolean terminated = SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(state.getState());
    TelephonyDocument document = null;
    byte[] body = in.request().getRawContent();
    if (!terminated && body != null && body.length > 0) {
      document = pidf(in, pkg, body, "Herald asked for " + PresencePackage.PIDF);
      if (document == null) {
        return;
      }
    }
    in.respond(Response.OK, "OK");
    dialogs.notified(
        in.request(),
        state.getState(),
        document,
        state.getExpires(),
        state.getReasonCode(),
        state.getRetryAfter());
  }

  /**
   * The NOTIFY's PIDF body as telephony presence, or null after answering 415 (not PIDF, with
   * Accept) or 400 (not a usable PIDF document). {@code wanted} is what the 415 says was expected.
   */
  private static TelephonyDocument pidf(
      IncomingRequest in, PresencePackage pkg, byte[] body, String wanted) {
    ContentTypeHeader ct = (ContentTypeHeader) in.request().getHeader(ContentTypeHeader.NAME);
    String type =
        ct == null
            ? "(none)"
            : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(Locale.ROOT);
    if (!type.equals(PresencePackage.PIDF)) {
      Response r =
          in.createResponse(
              Response.UNSUPPORTED_MEDIA_TYPE,
              "Unsupported Media Type (" + wanted + ", got " + type + ")");
      r.setHeader(SipRequests.header("Accept", PresencePackage.PIDF));
      in.respond(r);
      return null;
    }
    try {
      return new TelephonyDocument((PidfDocument) pkg.parse(body));
    } catch (BadDocumentException e) {
      in.respond(Response.BAD_REQUEST, "Bad Request (" + e.getMessage() + ")");
      return null;
    }
  }
}
