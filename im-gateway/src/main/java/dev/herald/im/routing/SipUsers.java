package dev.herald.im.routing;

import dev.herald.sip.Identity;
import dev.herald.sip.Rejection;
import java.util.List;

/**
 * What IM routing needs to know of Herald's SIP users (a port: presence-gateway implements it with
 * its directory and registrar). Called on a lane (except {@link #maySendAs}); must not block for
 * long.
 */
public interface SipUsers {

  /** Whether {@code aor} ({@code sip:user@host}) is a user of Herald's directory. */
  boolean isKnown(String aor);

  /**
   * Whether whoever sent a MESSAGE ({@code who}, as the SIP layer established it) may send it as
   * {@code fromAor}, the From's {@code sip:user@host}: null when allowed, else the answer (403 when
   * an authenticated user names an address not theirs, 503 when the directory cannot tell). Called
   * on a SIP thread, before the message is routed.
   */
  Rejection maySendAs(Identity who, String fromAor);

  /** The contact URIs of the user's live registrations, most preferred first; empty if none. */
  List<String> contacts(String aor);
}
