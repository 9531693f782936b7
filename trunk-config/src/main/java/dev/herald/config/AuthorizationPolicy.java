package dev.herald.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who may watch a presentity, by the watcher's domain ({@code presence.authorization}).
 *
 * @param defaultPolicy for watchers whose domain is not in {@code domains}
 * @param domains the policy for watchers of each domain; keys are lower-case DNS host names
 */
public record AuthorizationPolicy(WatcherPolicy defaultPolicy, Map<String, WatcherPolicy> domains) {

  /** Every watcher allowed: the policy when the configuration has no authorization section. */
  public static final AuthorizationPolicy ALLOW_ALL =
      new AuthorizationPolicy(WatcherPolicy.ALLOW, Map.of());

  public AuthorizationPolicy {
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    domains = Map.copyOf(domains);
  }

  /** The policy for a watcher in {@code domain} (compared case-insensitively). */
  public WatcherPolicy forDomain(String domain) {
    return domains.getOrDefault(domain.toLowerCase(Locale.ROOT), defaultPolicy);
  }
}
