package dev.herald.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole of {@code herald.yaml}, as {@link ConfigLoader} returns it after validation.
 *
 * @param listeners where Herald accepts SIP traffic; never empty, no two overlapping
 * @param domains the DNS host names Herald serves, lower-cased; never empty, no duplicates
 * @param sip settings of the SIP stack
 * @param presence limits and timers of the presence engine
 */
public record HeraldConfig(
    List<Listener> listeners, List<String> domains, SipSettings sip, PresencePolicy presence) {

  public HeraldConfig {
    listeners = List.copyOf(listeners);
    domains = List.copyOf(domains);
    Objects.requireNonNull(sip, "sip");
    Objects.requireNonNull(presence, "presence");
  }
}
