package dev.herald.presence.auth;

import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.SipAddresses;
import dev.herald.config.UserEntry;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides what happens to a watcher W of a presentity P (RFC 3856 §6.6.2). The first rule that
 * applies wins:
 *
 * <ol>
 *   <li>W is P (a user watching their own presence): {@link WatcherPolicy#ALLOW};
 *   <li>W is on P's block list (the users file's {@code presence-block}, or a {@link #remember
 *       decision} to deny): {@link WatcherPolicy#BLOCK};
 *   <li>W is on P's allow list ({@code presence-allow}, or a decision to allow): {@link
 *       WatcherPolicy#ALLOW};
 *   <li>the policy of W's domain in {@code presence.authorization.domains};
 *   <li>{@code presence.authorization.default}.
 * </ol>
 *
 * <p>A list entry names one address ({@code sip:bob@herald.test}) or every watcher of a domain
 * ({@code *@partner.example}). Thread-safe: decisions may be remembered from any thread while the
 * lanes decide.
 */
public final class WatcherRules {
  private final AuthorizationPolicy policy;
  private final Function<String, PresenceLists> lists;
  private final Map<String, Map<String, WatcherPolicy>> decisions = new ConcurrentHashMap<>();

  private WatcherRules(AuthorizationPolicy policy, Function<String, PresenceLists> lists) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.lists = Objects.requireNonNull(lists, "lists");
  }

  /**
   * Rules from the configuration and the users' lists.
   *
   * @param lists a presentity's lists, by its address; must not block (it runs on the lanes)
   */
  public static WatcherRules of(AuthorizationPolicy policy, Function<String, PresenceLists> lists) {
    return new WatcherRules(policy, lists);
  }

  /** Every watcher allowed, unless a decision says otherwise. */
  public static WatcherRules allowAll() {
    return new WatcherRules(AuthorizationPolicy.ALLOW_ALL, address -> PresenceLists.NONE);
  }

  /**
   * What to do with {@code watcher} of {@code presentity}: {@link WatcherPolicy#CONFIRM} means the
   * subscription waits, pending, for a decision.
   *
   * @param presentity {@code sip:user@host}, normalised
   * @param watcher the watcher's address as Herald identified it: {@code sip:user@host} normalised,
   *     or another URI (then only its domain, if it has one, can match)
   */
  public WatcherPolicy decide(String presentity, String watcher) {
    if (watcher.equals(presentity)) {
      return WatcherPolicy.ALLOW;
    }
    WatcherPolicy decided = decisions.getOrDefault(presentity, Map.of()).get(watcher);
    PresenceLists own = lists.apply(presentity);
    String domain = domain(watcher);
    if (decided == WatcherPolicy.BLOCK || listed(own.block(), watcher, domain)) {
      return WatcherPolicy.BLOCK;
    }
    if (decided == WatcherPolicy.ALLOW || listed(own.allow(), watcher, domain)) {
      return WatcherPolicy.ALLOW;
    }
    return domain.isEmpty() ? policy.defaultPolicy() : policy.forDomain(domain);
  }

  /**
   * Records that {@code presentity} allows or denies {@code watcher}; a later decision about the
   * same pair replaces an earlier one. Kept in memory only. Both addresses must be normalised
   * ({@link #address}).
   */
  public void remember(String presentity, String watcher, boolean allowed) {
    decisions
        .computeIfAbsent(presentity, p -> new ConcurrentHashMap<>())
        .put(watcher, allowed ? WatcherPolicy.ALLOW : WatcherPolicy.BLOCK);
  }

  /**
   * {@code text} as the rules compare addresses: {@code sip:user@host}, scheme and host lower-case.
   *
   * @throws IllegalArgumentException if it is not a {@code sip:user@host} address
   */
  public static String address(String text) {
    return SipAddresses.normalize(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a sip:user@host address (no port, no parameters): " + text));
  }

  private static boolean listed(List<String> entries, String watcher, String domain) {
    String wholeDomain = domain.isEmpty() ? null : UserEntry.WHOLE_DOMAIN + domain;
    for (String entry : entries) {
      if (entry.equals(watcher) || entry.equals(wholeDomain)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host of a SIP URI ({@code sip:user@host}, {@code sip:host}, sips too), lower-case; empty
   * for any other URI.
   */
  static String domain(String watcher) {
    int colon = watcher.indexOf(':');
    String scheme = colon < 0 ? "" : watcher.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return "";
    }
    String rest = watcher.substring(colon + 1);
    int at = rest.lastIndexOf('@');
    String host = at >= 0 ? rest.substring(at + 1) : rest;
    int end = host.length();
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == ';' || c == '?' || c == ':' || c == '>') {
        end = i;
        break;
      }
    }
    return host.substring(0, end).toLowerCase(Locale.ROOT);
  }
}
