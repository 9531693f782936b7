package dev.herald.im.routing;

import java.util.Optional;

/**
 * Which SIP users are homed on a CUCM trunk, and where a message to one goes now (a port:
 * presence-gateway implements it with the trunk configuration and the trunk monitor). Called on a
 * lane; must not block.
 */
public interface TrunkHomes {

  /** No trunk homes anybody. */
  TrunkHomes NONE = (aor, homed) -> Optional.empty();

  /**
   * The trunk that homes {@code aor} ({@code sip:user@host}), if any: the first trunk whose {@code
   * telephony-source} covers it.
   *
   * @param homed whether {@code aor} is a user of Herald's directory (a {@code not-homed} trunk
   *     covers only those who are not)
   */
  Optional<Home> home(String aor, boolean homed);

  /**
   * A trunk's user.
   *
   * @param trunk the trunk's name
   * @param notHomed whether the trunk covers the address only as one of "every user not homed on
   *     Herald" (then the XMPP gateway's users come first)
   * @param target the Request-URI of the MESSAGE leg at the trunk's next peer in service; empty
   *     when no peer of the trunk is in service
   */
  record Home(String trunk, boolean notHomed, Optional<String> target) {}
}
