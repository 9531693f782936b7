package dev.herald.presence;

import dev.herald.sip.IncomingRequest;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.message.Response;

/** What the PUBLISH and SUBSCRIBE handlers share: reading the request, building headers. */
final class SipRequests {
  private SipRequests() {}

  /** {@code sip:user@domain}, or null when the URI names no user. */
  static String presentity(URI uri) {
    if (!(uri instanceof SipURI sip) || sip.getUser() == null || sip.getUser().isEmpty()) {
      return null;
    }
    return "sip:" + sip.getUser() + "@" + sip.getHost().toLowerCase(Locale.ROOT);
  }

  /**
   * A watcher's address from its From URI, without parameters, port or display name: {@code
   * sip:user@host} (host lower-case), {@code sip:host} without a user, and any other URI as it is
   * written but for its parameters.
   */
  static String watcher(URI uri) {
    if (uri instanceof SipURI sip) {
      String host = sip.getHost().toLowerCase(Locale.ROOT);
      return sip.getUser() == null || sip.getUser().isEmpty()
          ? "sip:" + host
          : "sip:" + sip.getUser() + "@" + host;
    }
    String text = uri.toString();
    int parameters = text.indexOf(';');
    return parameters < 0 ? text : text.substring(0, parameters);
  }

  /** The Expires value, or null when the header is absent. */
  static Integer expires(IncomingRequest in) {
    ExpiresHeader h = (ExpiresHeader) in.request().getHeader(ExpiresHeader.NAME);
    return h == null ? null : h.getExpires();
  }

  /**
   * The package of the Event header, or null after answering 489 with {@code allowed} in
   * Allow-Events (RFC 3903 §6 step 2, RFC 6665 §8.2.1).
   */
  static EventPackage eventPackage(
      IncomingRequest in, PresenceEngine engine, List<String> allowed) {
    EventHeader event = (EventHeader) in.request().getHeader(EventHeader.NAME);
    String reason;
    if (event == null || event.getEventType() == null) {
      reason = "Bad Event (Event header missing)";
    } else {
      EventPackage p = engine.eventPackage(event.getEventType().toLowerCase(Locale.ROOT));
      if (p != null) {
        return p;
      }
      reason = "Bad Event (package " + event.getEventType() + " not supported)";
    }
    badEvent(in, reason, allowed);
    return null;
  }

  /** 489 with the packages that would have been accepted in Allow-Events (RFC 6665 §8.2.1). */
  static void badEvent(IncomingRequest in, String reason, List<String> allowed) {
    Response r = in.createResponse(489, reason);
    addEach(r, "Allow-Events", allowed);
    in.respond(r);
  }

  static Header header(String name, String value) {
    try {
      return dev.herald.sip.SipMessages.HEADERS.createHeader(name, value);
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad header " + name + ": " + value, e);
    }
  }

  /** One header per value: JAIN-SIP parses a comma list only through its own list types. */
  static void addEach(javax.sip.message.Message m, String name, List<String> values) {
    for (String v : values) {
      m.addHeader(header(name, v));
    }
  }
}
