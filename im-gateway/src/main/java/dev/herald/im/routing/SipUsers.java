package dev.herald.im.routing;

import java.util.List;

/**
 * What IM routing needs to know of Herald's SIP users (a port: presence-gateway implements it with
 * its directory and registrar). Called on a lane; must not block for long.
 */
public interface SipUsers {

  /** Whether {@code aor} ({@code sip:user@host}) is a user of Herald's directory. */
  boolean isKnown(String aor);

  /** The contact URIs of the user's live registrations, most preferred first; empty if none. */
  List<String> contacts(String aor);
}
