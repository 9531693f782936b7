package dev.herald.xmpp;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.AuthorizationPolicy;
import dev.herald.config.ExpiresPolicy;
import dev.herald.config.NotifyTimeoutAction;
import dev.herald.config.PresencePolicy;
import dev.herald.config.WatcherPolicy;
import dev.herald.directory.PresenceLists;
import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.presence.PidfToXmpp;
import dev.herald.im.presence.PresenceInfo;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PresenceStore;
import dev.herald.presence.RemoteWatcher;
import dev.herald.presence.WatcherInfoPackage;
import dev.herald.presence.auth.WatcherRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A presence engine on the caller's thread, and the gateway's address mapping, for these tests. */
final class Engines {
  static final AddressMapping MAPPING = mapping("partner.example");

  /** herald.test (the home domain, first) and {@code other}, each paired with xmpp.{domain}. */
  static AddressMapping mapping(String other) {
    Map<String, String> domains = new java.util.LinkedHashMap<>();
    domains.put("herald.test", "xmpp.herald.test");
    domains.put(other, "xmpp." + other);
    return AddressMapping.of("sip.herald.test", domains);
  }

  static final PresencePackage PIDF = new PresencePackage(65536);

  private Engines() {}

  /**
   * Watchers from herald.test are allowed, from partner.example confirmed, spam.example blocked.
   */
  static PresenceEngine engine() {
    PresencePolicy policy =
        new PresencePolicy(
            new ExpiresPolicy(60, 3600, 7200),
            new ExpiresPolicy(60, 3600, 7200),
            100,
            10,
            4,
            65536,
            NotifyTimeoutAction.TERMINATE,
            1,
            new AuthorizationPolicy(
                WatcherPolicy.ALLOW,
                Map.of(
                    "partner.example", WatcherPolicy.CONFIRM,
                    "spam.example", WatcherPolicy.BLOCK)));
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Ticker ticker = nanos::get;
    return new PresenceEngine(
        policy,
        List.of(PIDF, new WatcherInfoPackage(PIDF.name())),
        KeyedExecutor.callerRuns(),
        (request, from, callback) -> {},
        listener ->
            PresenceStore.caffeine(ticker, Scheduler.disabledScheduler(), Runnable::run, listener),
        address -> false,
        WatcherRules.of(policy.authorization(), address -> PresenceLists.NONE));
  }

  /** A remote watcher that keeps what the last view showed, as XMPP would see it. */
  static final class Seen implements RemoteWatcher {
    final List<View> views = new ArrayList<>();

    @Override
    public void update(View view) {
      views.add(view);
    }

    PresenceInfo last() {
      return PidfToXmpp.read(views.get(views.size() - 1).document());
    }
  }
}
