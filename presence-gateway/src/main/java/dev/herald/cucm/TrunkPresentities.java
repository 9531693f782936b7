package dev.herald.cucm;

import dev.herald.config.Trunk;
import dev.herald.directory.RemotePresentities;
import dev.herald.sip.Rejection;
import java.util.List;

/**
 * Presentities that live on a CUCM trunk rather than in Herald's directory: an address the
 * directory does not know is watchable when a trunk is its telephony source (listed in {@code
 * telephony-source}, or the trunk speaks for every user {@code not-homed}); the back-end
 * subscription to the trunk then brings its phone state, as for a user Herald knows.
 *
 * <p>Beside another gateway's presentities (the XMPP users), precedence is: a trunk that lists the
 * address, then the other gateway, then a {@code not-homed} trunk, so {@code not-homed} does not
 * swallow the XMPP users of the paired domain.
 */
public final class TrunkPresentities implements RemotePresentities {
  private final List<Trunk> trunks;
  private final RemotePresentities gateway;

  /**
   * @param trunks the configured trunks
   * @param gateway the other gateway's presentities ({@link RemotePresentities#NONE} if none)
   */
  public TrunkPresentities(List<Trunk> trunks, RemotePresentities gateway) {
    this.trunks = List.copyOf(trunks);
    this.gateway = gateway;
  }

  @Override
  public boolean serves(String address) {
    return listed(address) || gateway.serves(address) || notHomedTrunk();
  }

  @Override
  public Rejection unavailable(String address) {
    // A trunk's user is watchable while the trunk is down too: watchers see the last known state,
    // then closed with a note (the back-end subscription's own rules).
    if (!listed(address) && gateway.serves(address)) {
      return gateway.unavailable(address);
    }
    return null;
  }

  private boolean listed(String address) {
    for (Trunk trunk : trunks) {
      if (!trunk.telephonySource().notHomed() && trunk.telephonySource().covers(address, false)) {
        return true;
      }
    }
    return false;
  }

  private boolean notHomedTrunk() {
    for (Trunk trunk : trunks) {
      if (trunk.telephonySource().notHomed()) {
        return true;
      }
    }
    return false;
  }
}
