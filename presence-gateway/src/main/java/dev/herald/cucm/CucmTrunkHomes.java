package dev.herald.cucm;

import dev.herald.config.Trunk;
import dev.herald.im.routing.TrunkHomes;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The IM router's view of the CUCM trunks: a user is homed on the first trunk whose {@code
 * telephony-source} covers the address (as for presence, {@link TrunkPresentities}), and a message
 * to them goes to that trunk's next peer in service (round robin), addressed as the back-end
 * SUBSCRIBE is ({@code sip:user@peer:port}).
 */
public final class CucmTrunkHomes implements TrunkHomes {
  private final List<Trunk> trunks;
  private final Supplier<TrunkMonitor> monitor;

  /**
   * @param trunks the configured trunks
   * @param monitor the trunks' health; null until it has started (then no peer is in service)
   */
  public CucmTrunkHomes(List<Trunk> trunks, Supplier<TrunkMonitor> monitor) {
    this.trunks = List.copyOf(trunks);
    this.monitor = monitor;
  }

  @Override
  public Optional<Home> home(String aor, boolean homed) {
    for (Trunk trunk : trunks) {
      if (trunk.telephonySource().covers(aor, homed)) {
        TrunkMonitor health = monitor.get();
        return Optional.of(
            new Home(
                trunk.name(),
                trunk.telephonySource().notHomed(),
                health == null
                    ? Optional.empty()
                    : health
                        .nextInService(trunk.name())
                        .map(peer -> BackendSubscriptions.target(aor, peer))));
      }
    }
    return Optional.empty();
  }
}
