package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/*
 * Design note: this class is the schema of herald.yaml, one nested class per mapping, top-down.
 * Every key is declared once, as a Key constant: its name, whether it is required, its default
 * and the reader that checks its type and range. The mapping's key list and builder sit right
 * below. Adding a key means: one Key constant, one entry in its mapping's list, one argument to
 * the record, one line in config/herald.yaml and a fixture test.
 *
 * The nested classes also order initialisation: Top.MAPPING needs Sip.MAPPING's defaults, and the
 * JVM initialises Sip on first use, whatever the textual order here.
 */

/** The keys of herald.yaml, their defaults and their rules. */
final class HeraldSchema {

  /** The longest expiry any policy may set: one year, in seconds. */
  private static final int MAX_EXPIRES = 31_536_000;

  private HeraldSchema() {}

  /** Reads a whole document; null when {@code problems} gained any. */
  static HeraldConfig read(JsonNode document, Problems problems) {
    int before = problems.size();
    HeraldConfig config = Top.MAPPING.read(document, "", problems);
    return problems.size() == before ? config : null;
  }

  /** The top level of the file. */
  private static final class Top {
    static final Key<List<Listener>> LISTENERS =
        Key.required(
            "listeners", Values.nonEmptyList("listener", Listeners.MAPPING, Listeners::conflict));
    static final Key<List<String>> DOMAINS =
        Key.required(
            "domains",
            Values.nonEmptyList("domain", HeraldSchema::domain, HeraldSchema::duplicateDomain));
    static final Key<SipSettings> SIP = Key.section("sip", Sip.MAPPING);
    static final Key<PresencePolicy> PRESENCE = Key.section("presence", Presence.MAPPING);

    static final Mapping<HeraldConfig> MAPPING =
        Mapping.of(
            List.of(LISTENERS, DOMAINS, SIP, PRESENCE),
            f -> new HeraldConfig(f.get(LISTENERS), f.get(DOMAINS), f.get(SIP), f.get(PRESENCE)));
  }

  /** One item of {@code listeners}. */
  private static final class Listeners {
    static final Key<Transport> TRANSPORT =
        Key.required(
            "transport",
            Values.lowerCaseEnum(
                Transport.class,
                Map.of("tls", "tls is not supported yet (arrives with TLS support)")));
    static final Key<String> ADDRESS = Key.required("address", HeraldSchema::ipLiteral);
    static final Key<Integer> PORT = Key.required("port", Values.integer(1, 65_535));

    static final Mapping<Listener> MAPPING =
        Mapping.of(
            List.of(TRANSPORT, ADDRESS, PORT),
            f -> new Listener(f.get(TRANSPORT), f.get(ADDRESS), f.get(PORT)));

    /**
     * Two listeners clash when they would claim the same socket: same transport and port, and the
     * same address or a wildcard that covers the other's address.
     */
    static String conflict(Listener earlier, String earlierPath, Listener later) {
      if (earlier.transport() != later.transport() || earlier.port() != later.port()) {
        return null;
      }
      InetAddress a = IpLiterals.parse(earlier.address());
      InetAddress b = IpLiterals.parse(later.address());
      String named = earlierPath + " (" + describe(earlier) + ")";
      if (a.equals(b)) {
        return "duplicates " + named;
      }
      String covered = covered(a, b);
      if (covered == null) {
        covered = covered(b, a);
      }
      return covered == null ? null : "overlaps " + named + ": " + covered;
    }

    /** Why {@code wildcard} takes the port on {@code other}'s address too; null if it does not. */
    private static String covered(InetAddress wildcard, InetAddress other) {
      if (!wildcard.isAnyLocalAddress()) {
        return null;
      }
      boolean wildcardIpv4 = wildcard instanceof Inet4Address;
      if (wildcardIpv4 == (other instanceof Inet4Address)) {
        return wildcardIpv4
            ? "0.0.0.0 takes the port on every local IPv4 address"
            : ":: takes the port on every local IPv6 address";
      }
      // The JDK opens IPv6 sockets dual-stack (IPV6_V6ONLY off), so :: takes IPv4 too.
      return wildcardIpv4
          ? null
          : ":: takes the port on every IPv4 address too, as Java listens dual-stack";
    }

    private static String describe(Listener listener) {
      String host =
          listener.address().indexOf(':') >= 0
              ? "[" + listener.address() + "]"
              : listener.address();
      return listener.transport().name().toLowerCase(Locale.ROOT)
          + " "
          + host
          + ":"
          + listener.port();
    }
  }

  /** The {@code sip} section. */
  private static final class Sip {
    static final Key<Integer> THREAD_POOL_SIZE =
        Key.optional("thread-pool-size", 4, Values.integer(1, 256));
    static final Key<Integer> MAX_MESSAGE_SIZE =
        Key.optional("max-message-size", 65_536, Values.integer(1_024, 16_777_216));
    static final Key<Boolean> TRACE = Key.optional("trace", false, Values.bool());

    static final Mapping<SipSettings> MAPPING =
        Mapping.of(
            List.of(THREAD_POOL_SIZE, MAX_MESSAGE_SIZE, TRACE),
            f -> new SipSettings(f.get(THREAD_POOL_SIZE), f.get(MAX_MESSAGE_SIZE), f.get(TRACE)));
  }

  /** The {@code presence} section. */
  private static final class Presence {
    static final Key<ExpiresPolicy> PUBLISH = Key.section("publish", Expires.MAPPING);
    static final Key<ExpiresPolicy> SUBSCRIBE = Key.section("subscribe", Expires.MAPPING);
    static final Key<Integer> MAX_PRESENTITIES =
        Key.optional("max-presentities", 100_000, Values.integer(1, 100_000_000));
    static final Key<Integer> MAX_SUBSCRIPTIONS_PER_PRESENTITY =
        Key.optional(
            "max-subscriptions-per-presentity", 1_000, Values.integer(1, Integer.MAX_VALUE));
    static final Key<Integer> MAX_PUBLICATIONS_PER_PRESENTITY =
        Key.optional("max-publications-per-presentity", 32, Values.integer(1, Integer.MAX_VALUE));
    static final Key<Integer> MAX_DOCUMENT_BYTES =
        Key.optional("max-document-bytes", 65_536, Values.integer(256, 16_777_216));
    static final Key<NotifyTimeoutAction> NOTIFY_TIMEOUT =
        Key.optional(
            "notify-timeout",
            NotifyTimeoutAction.TERMINATE,
            Values.lowerCaseEnum(NotifyTimeoutAction.class, Map.of()));
    // 0 asks for two lanes per available processor, decided where the executor is built.
    static final Key<Integer> EXECUTOR_LANES =
        Key.optional("executor-lanes", 0, Values.integer(0, 1_024));

    static final Mapping<PresencePolicy> MAPPING =
        Mapping.of(
            List.of(
                PUBLISH,
                SUBSCRIBE,
                MAX_PRESENTITIES,
                MAX_SUBSCRIPTIONS_PER_PRESENTITY,
                MAX_PUBLICATIONS_PER_PRESENTITY,
                MAX_DOCUMENT_BYTES,
                NOTIFY_TIMEOUT,
                EXECUTOR_LANES),
            f ->
                new PresencePolicy(
                    f.get(PUBLISH),
                    f.get(SUBSCRIBE),
                    f.get(MAX_PRESENTITIES),
                    f.get(MAX_SUBSCRIPTIONS_PER_PRESENTITY),
                    f.get(MAX_PUBLICATIONS_PER_PRESENTITY),
                    f.get(MAX_DOCUMENT_BYTES),
                    f.get(NOTIFY_TIMEOUT),
                    f.get(EXECUTOR_LANES)));
  }

  /** {@code presence.publish} and {@code presence.subscribe}. */
  private static final class Expires {
    static final Key<Integer> MIN = Key.optional("min-expires", 60, Values.integer(1, MAX_EXPIRES));
    static final Key<Integer> DEFAULT =
        Key.optional("default-expires", 3_600, Values.integer(1, MAX_EXPIRES));
    static final Key<Integer> MAX =
        Key.optional("max-expires", 86_400, Values.integer(1, MAX_EXPIRES));

    static final Mapping<ExpiresPolicy> MAPPING =
        Mapping.of(
            List.of(MIN, DEFAULT, MAX),
            f -> new ExpiresPolicy(f.get(MIN), f.get(DEFAULT), f.get(MAX)),
            Expires::checkOrder);

    /**
     * min <= default <= max; a default that breaks the order is named as such, so it can be set.
     */
    private static void checkOrder(Fields f, String path, Problems problems) {
      if (f.valid(MIN, MAX) && f.get(MIN) > f.get(MAX)) {
        problems.add(path, shown(f, MIN) + " is above " + shown(f, MAX));
      } else if (f.valid(MIN, DEFAULT) && f.get(DEFAULT) < f.get(MIN)) {
        problems.add(path, shown(f, DEFAULT) + " is below " + shown(f, MIN));
      } else if (f.valid(DEFAULT, MAX) && f.get(DEFAULT) > f.get(MAX)) {
        problems.add(path, shown(f, DEFAULT) + " is above " + shown(f, MAX));
      }
    }

    /** {@code min-expires (600)}, or {@code min-expires (60, the default)} when not given. */
    private static String shown(Fields f, Key<Integer> key) {
      return key.name() + " (" + f.get(key) + (f.given(key) ? "" : ", the default") + ")";
    }
  }

  /** An IPv4 or IPv6 literal, kept as written. */
  private static String ipLiteral(JsonNode value, String path, Problems problems) {
    if (value.isTextual() && IpLiterals.parse(value.textValue()) != null) {
      return value.textValue();
    }
    problems.add(
        path,
        "must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1 (host names are not resolved), was "
            + Values.describe(value));
    return null;
  }

  /** A DNS host name, lower-cased because host names compare case-insensitively (RFC 4343). */
  private static String domain(JsonNode value, String path, Problems problems) {
    if (value.isTextual() && HostNames.isValid(value.textValue())) {
      return value.textValue().toLowerCase(Locale.ROOT);
    }
    problems.add(
        path, "must be a DNS host name such as herald.example.com, was " + Values.describe(value));
    return null;
  }

  private static String duplicateDomain(String earlier, String earlierPath, String later) {
    return earlier.equals(later) ? "duplicates " + earlierPath + " (" + earlier + ")" : null;
  }
}
