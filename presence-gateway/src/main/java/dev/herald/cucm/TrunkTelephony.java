package dev.herald.cucm;

import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.presence.TelephonySources;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The trunks as telephony sources: a request is a trunk's telephony presence when it comes from one
 * of the trunk's peers' hosts and the trunk's {@code telephony-source} covers the presentity.
 */
public final class TrunkTelephony implements TelephonySources {
  private final Map<InetAddress, List<Trunk>> byHost = new HashMap<>();
  private final List<Trunk> trunks;
  private final Predicate<String> homed;

  /**
   * @param trunks the configured trunks
   * @param homed whether an address is a user of Herald's directory (for {@code not-homed})
   */
  public TrunkTelephony(List<Trunk> trunks, Predicate<String> homed) {
    this.homed = homed;
    this.trunks = List.copyOf(trunks);
    for (Trunk trunk : trunks) {
      for (TrunkPeer peer : trunk.peers()) {
        List<Trunk> at = byHost.computeIfAbsent(address(peer.host()), a -> new ArrayList<>());
        if (!at.contains(trunk)) {
          at.add(trunk);
        }
      }
    }
  }

  @Override
  public boolean isTelephony(String sourceAddress, String presentity) {
    InetAddress source;
    try {
      // The source is the IP literal the packet came from: no name is resolved here.
      source = InetAddress.getByName(sourceAddress);
    } catch (UnknownHostException e) {
      return false;
    }
    List<Trunk> trunks = byHost.get(source);
    if (trunks == null) {
      return false;
    }
    for (Trunk trunk : trunks) {
      if (trunk.telephonySource().notHomed()
          ? !homed.test(presentity)
          : trunk.telephonySource().covers(presentity, true)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The trunk that is the telephony source of {@code presentity}, the first in the configuration's
   * order when several are; Herald subscribes to the user's phone state there.
   */
  public Optional<Trunk> sourceOf(String presentity) {
    for (Trunk trunk : trunks) {
      if (trunk.telephonySource().notHomed()
          ? !homed.test(presentity)
          : trunk.telephonySource().covers(presentity, true)) {
        return Optional.of(trunk);
      }
    }
    return Optional.empty();
  }

  private static InetAddress address(String ipLiteral) {
    try {
      return InetAddress.getByName(ipLiteral);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ipLiteral, e);
    }
  }
}
