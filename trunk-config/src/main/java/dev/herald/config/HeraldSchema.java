package dev.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/*
 * Design note: this class is the schema of herald.yaml, one nested class per mapping, top-down.
 * Every key is declared once, as a Key constant: its name, whether it is required, its default
 * and the reader that checks its type and range. The mapping's key list and builder sit right
 * below. Adding a key means: one Key constant, one entry in its mapping's list, one argument to
 * the record, one line in config/herald.yaml and a fixture test.
 *
 * The nested classes also order initialisation: Top's keys need Sip.MAPPING's defaults, and the
 * JVM initialises Sip on first use, whatever the textual order here.
 *
 * Paths in the file (directory.users-file, directory.ldap.bind-password-file, tls.keystore, ...)
 * are resolved against the configuration file's folder, so the top mapping, the directory's and
 * tls's are built per read. With checkFiles, the top mapping's check also reads the users file, and
 * tls's check opens the keystore and truststore: a missing or broken one is a problem of this file,
 * at the key that names it, so that one run lists everything to fix. Keystore passwords are read
 * only when Herald starts.
 */

/** The keys of herald.yaml, their defaults and their rules. */
final class HeraldSchema {

  /** The longest expiry any policy may set: one year, in seconds. */
  private static final int MAX_EXPIRES = 31_536_000;

  /** A digest realm: sent in a quoted string (RFC 7616 §3.3), so it holds no quote or backslash. */
  static final ValueReader<String> REALM =
      Values.text(
          "must be a realm such as herald.test",
          realm -> {
            if (realm.isEmpty()) {
              return "must not be empty";
            }
            for (int i = 0; i < realm.length(); i++) {
              char c = realm.charAt(i);
              if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                return "must not hold quotes, backslashes or control characters"
                    + " (it is sent as a quoted string)";
              }
            }
            return null;
          });

  private HeraldSchema() {}

  /**
   * Reads a whole document; null when {@code problems} gained any.
   *
   * @param baseDir an absolute folder that relative paths in the document are resolved against
   * @param checkFiles whether to read the users file the document names, reporting it missing or
   *     invalid
   */
  static HeraldConfig read(JsonNode document, Path baseDir, boolean checkFiles, Problems problems) {
    int before = problems.size();
    HeraldConfig config = Top.mapping(baseDir, checkFiles).read(document, "", problems);
    return problems.size() == before ? config : null;
  }

  /** The top level of the file. */
  private static final class Top {
    static final Key<List<Listener>> LISTENERS =
        Key.required(
            "listeners", Values.nonEmptyList("listener", Listeners.MAPPING, Listeners::conflict));
    static final Key<List<String>> DOMAINS =
        Key.required(
            "domains", Values.nonEmptyList("domain", HeraldSchema::domain, Values::duplicate));
    static final Key<SipSettings> SIP = Key.section("sip", Sip.MAPPING);
    static final Key<PresencePolicy> PRESENCE = Key.section("presence", Presence.MAPPING);
    static final Key<SecuritySection> SECURITY = Key.section("security", Security.MAPPING);
    static final Key<RegistrarPolicy> REGISTRAR = Key.section("registrar", Registrar.MAPPING);
    // Absent: no trunk, so nothing is pinged and nobody's telephony presence comes from a trunk.
    static final Key<List<Trunk>> TRUNKS =
        Key.optional("trunks", List.of(), Values.list(Trunks.MAPPING, Trunks::sameName));

    static Mapping<HeraldConfig> mapping(Path baseDir, boolean checkFiles) {
      // Absent, the directory is none; unlike the other sections it has no defaults to fall back
      // on, since a file source needs its users-file.
      Key<DirectoryConfig> directory =
          Key.optional("directory", DirectoryConfig.none(), Directory.mapping(baseDir));
      // Absent unless a listener uses tls; it has no defaults either (a keystore must be named).
      Key<Optional<TlsSettings>> tls =
          Key.optional("tls", Optional.empty(), Values.present(Tls.mapping(baseDir, checkFiles)));
      // Absent, Herald runs no IM gateway.
      Key<Optional<XmppSettings>> xmpp =
          Key.optional("xmpp", Optional.empty(), Values.present(Xmpp.mapping(baseDir, checkFiles)));
      return Mapping.of(
          List.of(
              LISTENERS, DOMAINS, SIP, PRESENCE, SECURITY, directory, REGISTRAR, tls, TRUNKS, xmpp),
          f ->
              tlsListener(f.get(LISTENERS)) != null != f.get(tls).isPresent()
                  ? null // the check has said so
                  : new HeraldConfig(
                      f.get(LISTENERS),
                      f.get(DOMAINS),
                      f.get(SIP),
                      f.get(PRESENCE),
                      f.get(SECURITY).policy(f.get(DOMAINS).get(0)),
                      f.get(directory),
                      f.get(REGISTRAR),
                      f.get(tls),
                      f.get(TRUNKS),
                      f.get(xmpp)),
          (f, path, problems) -> {
            checkTlsSection(f, tls, problems);
            Trunks.check(f, LISTENERS, TRUNKS, problems);
            checkXmppDomains(f, xmpp, problems);
            if (checkFiles) {
              checkUsersFile(f, directory, problems);
            }
          });
    }

    /** The path of the first listener whose transport is tls, or null when there is none. */
    private static String tlsListener(List<Listener> listeners) {
      for (int i = 0; i < listeners.size(); i++) {
        if (listeners.get(i).transport() == Transport.TLS) {
          return YamlPath.index(LISTENERS.name(), i);
        }
      }
      return null;
    }

    /** The tls section goes with a tls listener: one needs the other, and neither is ignored. */
    private static void checkTlsSection(
        Fields f, Key<Optional<TlsSettings>> tls, Problems problems) {
      if (!f.valid(LISTENERS)) {
        return;
      }
      String listener = tlsListener(f.get(LISTENERS));
      if (listener != null && !f.given(tls)) {
        problems.add(
            tls.name(),
            "required when a listener's transport is tls ("
                + listener
                + "): it names Herald's keystore");
      } else if (listener == null && f.given(tls)) {
        problems.add(
            tls.name(), "is set but no listener's transport is tls; add one or remove the section");
      }
    }

    /** Herald can only gateway the users of a SIP domain it serves. */
    private static void checkXmppDomains(
        Fields f, Key<Optional<XmppSettings>> xmpp, Problems problems) {
      if (!f.valid(DOMAINS, xmpp) || f.get(xmpp).isEmpty()) {
        return;
      }
      for (String sipDomain : f.get(xmpp).get().domains().keySet()) {
        if (!f.get(DOMAINS).contains(sipDomain)) {
          problems.add(
              YamlPath.key(YamlPath.key(xmpp.name(), Xmpp.DOMAINS.name()), sipDomain),
              "is not one of the domains Herald serves ("
                  + String.join(", ", f.get(DOMAINS))
                  + ")");
        }
      }
    }

    /**
     * The users file must be readable and valid, and its hashes made for the realm Herald
     * challenges with; otherwise no user's digest would ever match.
     */
    private static void checkUsersFile(
        Fields f, Key<DirectoryConfig> directory, Problems problems) {
      if (!f.valid(directory) || f.get(directory).source() != DirectorySource.FILE) {
        return;
      }
      String at = YamlPath.key(directory.name(), Directory.USERS_FILE);
      Path file = f.get(directory).usersFile();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        problems.add(at, "cannot read " + file + ": " + ConfigLoader.reason(e));
        return;
      }
      Problems inFile = new Problems();
      UsersFile users = UsersFileLoader.parse(text, inFile);
      for (ConfigProblem problem : inFile.list()) {
        problems.add(at, file + ": " + problem);
      }
      if (users == null || !f.valid(SECURITY, DOMAINS)) {
        return;
      }
      SecuritySection security = f.get(SECURITY);
      String realm = security.policy(f.get(DOMAINS).get(0)).realm();
      if (!users.realm().equals(realm)) {
        problems.add(
            at,
            "the hashes in "
                + file
                + " are for realm "
                + users.realm()
                + ", but security.realm is "
                + realm
                + (security.realm().isPresent() ? "" : " (the first domain)")
                + "; no user's digest would match");
      }
    }
  }

  /** One item of {@code listeners}. */
  private static final class Listeners {
    static final Key<Transport> TRANSPORT =
        Key.required("transport", Values.lowerCaseEnum(Transport.class, Map.of()));
    static final Key<String> ADDRESS = Key.required("address", HeraldSchema::ipLiteral);
    static final Key<Integer> PORT = Key.required("port", Values.integer(1, 65_535));

    static final Mapping<Listener> MAPPING =
        Mapping.of(
            List.of(TRANSPORT, ADDRESS, PORT),
            f -> new Listener(f.get(TRANSPORT), f.get(ADDRESS), f.get(PORT)));

    /**
     * Two listeners clash when they would claim the same socket: the same port of the same protocol
     * (tcp and tls both take a TCP port), and the same address or a wildcard that covers the
     * other's address.
     */
    static String conflict(Listener earlier, String earlierPath, Listener later) {
      if (earlier.transport().stream() != later.transport().stream()
          || earlier.port() != later.port()) {
        return null;
      }
      InetAddress a = IpLiterals.parse(earlier.address());
      InetAddress b = IpLiterals.parse(later.address());
      String named = earlierPath + " (" + describe(earlier) + ")";
      String both =
          earlier.transport() == later.transport() ? "" : " (tcp and tls both take a TCP port)";
      if (a.equals(b)) {
        return (both.isEmpty() ? "duplicates " : "takes the socket of ") + named + both;
      }
      String covered = covered(a, b);
      if (covered == null) {
        covered = covered(b, a);
      }
      return covered == null ? null : "overlaps " + named + ": " + covered + both;
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
    static final Key<OverloadPolicy> OVERLOAD = Key.section("overload", Overload.MAPPING);
    static final Key<RateLimitPolicy> RATE_LIMIT = Key.section("rate-limit", RateLimits.MAPPING);
    static final Key<TcpPolicy> TCP = Key.section("tcp", Tcp.MAPPING);

    static final Mapping<SipSettings> MAPPING =
        Mapping.of(
            List.of(THREAD_POOL_SIZE, MAX_MESSAGE_SIZE, TRACE, OVERLOAD, RATE_LIMIT, TCP),
            f ->
                new SipSettings(
                    f.get(THREAD_POOL_SIZE),
                    f.get(MAX_MESSAGE_SIZE),
                    f.get(TRACE),
                    f.get(OVERLOAD),
                    f.get(RATE_LIMIT),
                    f.get(TCP)));
  }

  /** {@code sip.tcp}. */
  private static final class Tcp {
    static final Key<Integer> MAX_CONNECTIONS =
        Key.optional(
            "max-connections", TcpPolicy.DEFAULT.maxConnections(), Values.integer(1, 100_000));
    static final Key<Integer> READ_TIMEOUT_MS =
        Key.optional(
            "read-timeout-ms", TcpPolicy.DEFAULT.readTimeoutMillis(), Values.integer(100, 600_000));

    // 0 turns the idle timeout off; under 10 s a connection between two requests of a client
    // would be closed, which is a mistake rather than a policy.
    static final Key<Integer> IDLE_TIMEOUT_SECONDS =
        Key.optional(
            "idle-timeout-seconds", TcpPolicy.DEFAULT.idleTimeoutSeconds(), Tcp::idleTimeout);

    static final Mapping<TcpPolicy> MAPPING =
        Mapping.of(
            List.of(MAX_CONNECTIONS, READ_TIMEOUT_MS, IDLE_TIMEOUT_SECONDS),
            f ->
                new TcpPolicy(
                    f.get(MAX_CONNECTIONS), f.get(READ_TIMEOUT_MS), f.get(IDLE_TIMEOUT_SECONDS)));

    private static Integer idleTimeout(JsonNode value, String path, Problems problems) {
      Integer seconds = Values.integer(0, 86_400).read(value, path, problems);
      if (seconds != null && seconds > 0 && seconds < 10) {
        problems.add(path, "must be 0 (never) or 10..86400, was " + seconds);
        return null;
      }
      return seconds;
    }
  }

  /** {@code sip.rate-limit}. */
  private static final class RateLimits {
    static final Key<Integer> PER_SECOND =
        Key.optional(
            "per-second", RateLimitPolicy.DEFAULT.perSecond(), Values.integer(0, 1_000_000));
    static final Key<Integer> BURST =
        Key.optional("burst", RateLimitPolicy.DEFAULT.burst(), Values.integer(1, 10_000_000));

    static final Mapping<RateLimitPolicy> MAPPING =
        Mapping.of(
            List.of(PER_SECOND, BURST), f -> new RateLimitPolicy(f.get(PER_SECOND), f.get(BURST)));
  }

  /** {@code sip.overload}. */
  private static final class Overload {
    static final Key<Integer> MAX_QUEUED_DATAGRAMS =
        Key.optional(
            "max-queued-datagrams",
            OverloadPolicy.DEFAULT.maxQueuedDatagrams(),
            Values.integer(0, 1_000_000));
    static final Key<Integer> MAX_BACKLOG =
        Key.optional(
            "max-backlog", OverloadPolicy.DEFAULT.maxBacklog(), Values.integer(0, 10_000_000));
    static final Key<Integer> RETRY_AFTER =
        Key.optional(
            "retry-after", OverloadPolicy.DEFAULT.retryAfterSeconds(), Values.integer(1, 3_600));

    static final Mapping<OverloadPolicy> MAPPING =
        Mapping.of(
            List.of(MAX_QUEUED_DATAGRAMS, MAX_BACKLOG, RETRY_AFTER),
            f ->
                new OverloadPolicy(
                    f.get(MAX_QUEUED_DATAGRAMS), f.get(MAX_BACKLOG), f.get(RETRY_AFTER)));
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
    static final Key<Integer> MAX_SUBSCRIPTIONS_PER_WATCHER =
        Key.optional(
            "max-subscriptions-per-watcher",
            PresencePolicy.DEFAULT_MAX_SUBSCRIPTIONS_PER_WATCHER,
            Values.integer(1, Integer.MAX_VALUE));
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
    static final Key<AuthorizationPolicy> AUTHORIZATION =
        Key.section("authorization", Authorization.MAPPING);

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
                EXECUTOR_LANES,
                AUTHORIZATION,
                MAX_SUBSCRIPTIONS_PER_WATCHER),
            f ->
                new PresencePolicy(
                    f.get(PUBLISH),
                    f.get(SUBSCRIBE),
                    f.get(MAX_PRESENTITIES),
                    f.get(MAX_SUBSCRIPTIONS_PER_PRESENTITY),
                    f.get(MAX_PUBLICATIONS_PER_PRESENTITY),
                    f.get(MAX_DOCUMENT_BYTES),
                    f.get(NOTIFY_TIMEOUT),
                    f.get(EXECUTOR_LANES),
                    f.get(AUTHORIZATION),
                    f.get(MAX_SUBSCRIPTIONS_PER_WATCHER)));
  }

  /**
   * {@code presence.authorization}: a policy per watcher domain and a default for the rest. Absent,
   * every watcher is allowed.
   */
  private static final class Authorization {
    static final ValueReader<WatcherPolicy> POLICY =
        Values.lowerCaseEnum(WatcherPolicy.class, Map.of());
    static final Key<WatcherPolicy> DEFAULT = Key.optional("default", WatcherPolicy.ALLOW, POLICY);
    static final Key<Map<String, WatcherPolicy>> DOMAINS =
        Key.optional("domains", Map.of(), Authorization::domains);

    static final Mapping<AuthorizationPolicy> MAPPING =
        Mapping.of(
            List.of(DEFAULT, DOMAINS),
            f -> new AuthorizationPolicy(f.get(DEFAULT), f.get(DOMAINS)));

    /**
     * Watcher domain to policy. A domain is a DNS host name, no wildcard; two spellings of one
     * domain (host names compare case-insensitively) are one domain given twice.
     */
    private static Map<String, WatcherPolicy> domains(
        JsonNode value, String path, Problems problems) {
      if (!value.isObject()) {
        problems.add(
            path,
            "must be a mapping of watcher domain to allow, confirm or block, was "
                + Values.describe(value));
        return null;
      }
      Map<String, WatcherPolicy> policies = new LinkedHashMap<>();
      Map<String, String> givenAt = new HashMap<>();
      boolean allValid = true;
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        String domainPath = YamlPath.key(path, entry.getKey());
        if (!HostNames.isValid(entry.getKey())) {
          problems.add(
              domainPath,
              "must be a DNS host name such as partner.example (the watcher's domain; no"
                  + " wildcards), was "
                  + Values.describe(new TextNode(entry.getKey())));
          allValid = false;
          continue;
        }
        WatcherPolicy policy = POLICY.read(entry.getValue(), domainPath, problems);
        if (policy == null) {
          allValid = false;
          continue;
        }
        String domain = entry.getKey().toLowerCase(Locale.ROOT);
        String earlier = givenAt.putIfAbsent(domain, domainPath);
        if (earlier != null) {
          problems.add(
              domainPath, "duplicates " + earlier + " (domains compare case-insensitively)");
          allValid = false;
          continue;
        }
        policies.put(domain, policy);
      }
      return allValid ? policies : null;
    }
  }

  /** One item of {@code trunks}. */
  private static final class Trunks {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    static final Key<String> NAME_KEY =
        Key.required(
            "name",
            Values.text(
                "must be a trunk name such as cucm1",
                name ->
                    NAME.matcher(name).matches()
                        ? null
                        : "must be a trunk name: lower-case letters, digits and -, not starting"
                            + " with -, at most 63"));
    static final Key<List<TrunkPeer>> PEERS =
        Key.required("peers", Values.nonEmptyList("peer", Peers.MAPPING, Trunks::samePeer));
    static final Key<Integer> OPTIONS_INTERVAL =
        Key.optional("options-interval", Trunk.DEFAULT_OPTIONS_INTERVAL, Values.integer(1, 3_600));
    static final Key<TelephonySource> TELEPHONY_SOURCE =
        Key.optional("telephony-source", TelephonySource.NOBODY, Trunks::telephonySource);
    static final Key<Integer> SUBSCRIBE_EXPIRES =
        Key.optional(
            "subscribe-expires", Trunk.DEFAULT_SUBSCRIBE_EXPIRES, Values.integer(60, 86_400));
    static final Key<Integer> SUBSCRIBE_LINGER =
        Key.optional("subscribe-linger", Trunk.DEFAULT_SUBSCRIBE_LINGER, Values.integer(0, 3_600));

    static final Mapping<Trunk> MAPPING =
        Mapping.of(
            List.of(
                NAME_KEY,
                PEERS,
                OPTIONS_INTERVAL,
                TELEPHONY_SOURCE,
                SUBSCRIBE_EXPIRES,
                SUBSCRIBE_LINGER),
            f ->
                new Trunk(
                    f.get(NAME_KEY),
                    f.get(PEERS),
                    f.get(OPTIONS_INTERVAL),
                    f.get(TELEPHONY_SOURCE),
                    f.get(SUBSCRIBE_EXPIRES),
                    f.get(SUBSCRIBE_LINGER)));

    static String sameName(Trunk earlier, String earlierPath, Trunk later) {
      return earlier.name().equals(later.name())
          ? "duplicates the name of " + earlierPath + " (" + earlier.name() + ")"
          : null;
    }

    /** One peer, whatever the spelling of its IP literal. */
    static String samePeer(TrunkPeer earlier, String earlierPath, TrunkPeer later) {
      return samePeer(earlier, later) ? "duplicates " + earlierPath + " (" + earlier + ")" : null;
    }

    private static boolean samePeer(TrunkPeer a, TrunkPeer b) {
      return a.port() == b.port()
          && a.transport() == b.transport()
          && IpLiterals.parse(a.host()).equals(IpLiterals.parse(b.host()));
    }

    /**
     * Rules across the trunks and the listeners: a peer belongs to one trunk (else its health and
     * its telephony source would be ambiguous), and Herald pings a peer from a listener of the
     * peer's transport, so there must be one.
     */
    static void check(
        Fields f, Key<List<Listener>> listeners, Key<List<Trunk>> trunks, Problems problems) {
      if (!f.valid(trunks)) {
        return;
      }
      List<Trunk> all = f.get(trunks);
      for (int t = 0; t < all.size(); t++) {
        List<TrunkPeer> peers = all.get(t).peers();
        for (int p = 0; p < peers.size(); p++) {
          String at = YamlPath.key(YamlPath.index(trunks.name(), t), PEERS.name());
          at = YamlPath.index(at, p);
          TrunkPeer peer = peers.get(p);
          String earlier = earlierTrunkWith(all, t, peer, trunks.name());
          if (earlier != null) {
            problems.add(at, "is also a peer of " + earlier + " (" + peer + ")");
          }
          if (f.valid(listeners)
              && f.get(listeners).stream().noneMatch(l -> l.transport() == peer.transport())) {
            String transport = peer.transport().name().toLowerCase(Locale.ROOT);
            problems.add(
                YamlPath.key(at, Peers.TRANSPORT.name()),
                "no listener's transport is "
                    + transport
                    + ", so Herald cannot reach this peer; add a "
                    + transport
                    + " listener");
          }
        }
      }
    }

    private static String earlierTrunkWith(
        List<Trunk> all, int before, TrunkPeer peer, String name) {
      for (int t = 0; t < before; t++) {
        List<TrunkPeer> peers = all.get(t).peers();
        for (int p = 0; p < peers.size(); p++) {
          if (samePeer(peers.get(p), peer)) {
            return YamlPath.index(YamlPath.key(YamlPath.index(name, t), PEERS.name()), p);
          }
        }
      }
      return null;
    }

    /** {@code not-homed}, or a list of {@code sip:user@host} addresses and {@code *@domain}. */
    private static TelephonySource telephonySource(JsonNode value, String path, Problems problems) {
      if (value.isTextual() && value.textValue().equals(TelephonySource.NOT_HOMED)) {
        return TelephonySource.notHomedUsers();
      }
      if (!value.isArray()) {
        problems.add(
            path,
            "must be "
                + TelephonySource.NOT_HOMED
                + " (every user not homed on Herald) or a list of addresses such as"
                + " sip:alice@herald.test and whole domains such as *@herald.test, was "
                + Values.describe(value));
        return null;
      }
      List<String> entries =
          Values.list(Trunks::sourceEntry, Values::duplicate).read(value, path, problems);
      return entries == null ? null : new TelephonySource(false, entries);
    }

    private static String sourceEntry(JsonNode value, String path, Problems problems) {
      if (value.isTextual()) {
        String text = value.textValue();
        if (text.startsWith(TelephonySource.WHOLE_DOMAIN)) {
          String domain = text.substring(TelephonySource.WHOLE_DOMAIN.length());
          if (HostNames.isValid(domain)) {
            return TelephonySource.WHOLE_DOMAIN + domain.toLowerCase(Locale.ROOT);
          }
        } else if (text.indexOf('*') >= 0) {
          problems.add(
              path,
              "a pattern may only be *@domain (every address of the domain); * elsewhere is not"
                  + " a wildcard, was "
                  + Values.describe(value));
          return null;
        } else {
          Optional<String> address = SipAddresses.normalize(text);
          if (address.isPresent()) {
            return address.get();
          }
        }
      }
      problems.add(
          path,
          "must be an address such as sip:alice@herald.test (no port, no parameters) or a whole"
              + " domain such as *@herald.test, was "
              + Values.describe(value));
      return null;
    }
  }

  /** One item of {@code trunks[i].peers}. */
  private static final class Peers {
    static final Key<String> HOST = Key.required("host", HeraldSchema::ipLiteral);
    static final Key<Integer> PORT = Key.required("port", Values.integer(1, 65_535));
    static final Key<Transport> TRANSPORT =
        Key.required("transport", Values.lowerCaseEnum(Transport.class, Map.of()));

    static final Mapping<TrunkPeer> MAPPING =
        Mapping.of(
            List.of(HOST, PORT, TRANSPORT),
            f -> new TrunkPeer(f.get(HOST), f.get(PORT), f.get(TRANSPORT)));
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
            order(MIN, DEFAULT, MAX));

    /**
     * min <= default <= max; a default that breaks the order is named as such, so it can be set.
     */
    static Mapping.Check order(Key<Integer> min, Key<Integer> deflt, Key<Integer> max) {
      return (f, path, problems) -> {
        if (f.valid(min, max) && f.get(min) > f.get(max)) {
          problems.add(path, shown(f, min) + " is above " + shown(f, max));
        } else if (f.valid(min, deflt) && f.get(deflt) < f.get(min)) {
          problems.add(path, shown(f, deflt) + " is below " + shown(f, min));
        } else if (f.valid(deflt, max) && f.get(deflt) > f.get(max)) {
          problems.add(path, shown(f, deflt) + " is above " + shown(f, max));
        }
      };
    }

    /** {@code min-expires (600)}, or {@code min-expires (60, the default)} when not given. */
    private static String shown(Fields f, Key<Integer> key) {
      return key.name() + " (" + f.get(key) + (f.given(key) ? "" : ", the default") + ")";
    }
  }

  /**
   * The {@code security} section as written. Its realm defaults to the first domain, a value of
   * another section, so the top mapping turns this into the {@link SecurityPolicy}.
   */
  private record SecuritySection(
      Optional<String> realm,
      List<String> trustedPeers,
      int nonceLifetime,
      List<String> algorithms) {

    SecurityPolicy policy(String firstDomain) {
      return new SecurityPolicy(realm.orElse(firstDomain), trustedPeers, nonceLifetime, algorithms);
    }
  }

  /** The {@code security} section. */
  private static final class Security {
    static final Key<Optional<String>> REALM =
        Key.optional("realm", Optional.empty(), Values.present(HeraldSchema.REALM));
    // Empty by default: trusting an address is a decision a file must state.
    static final Key<List<String>> TRUSTED_PEERS =
        Key.optional(
            "trusted-peers",
            List.of(),
            Values.list(
                Values.text("must be an IP address or a CIDR block", AddressBlock::problem),
                Security::samePeers));
    static final Key<Integer> NONCE_LIFETIME =
        Key.optional("nonce-lifetime", 300, Values.integer(10, 86_400));
    static final Key<List<String>> ALGORITHMS =
        Key.optional(
            "algorithms",
            UsersFile.ALGORITHMS,
            Values.nonEmptyList(
                "algorithm",
                Values.text(
                    "must be one of: " + String.join(", ", UsersFile.ALGORITHMS),
                    token ->
                        UsersFile.ALGORITHMS.contains(token)
                            ? null
                            : "must be one of: " + String.join(", ", UsersFile.ALGORITHMS)),
                Values::duplicate));

    static final Mapping<SecuritySection> MAPPING =
        Mapping.of(
            List.of(REALM, TRUSTED_PEERS, NONCE_LIFETIME, ALGORITHMS),
            f ->
                new SecuritySection(
                    f.get(REALM), f.get(TRUSTED_PEERS), f.get(NONCE_LIFETIME), f.get(ALGORITHMS)));

    /** 127.0.0.1 and 127.0.0.1/32, or two spellings of one IPv6 block, are the same peers. */
    private static String samePeers(String earlier, String earlierPath, String later) {
      return AddressBlock.parse(earlier).equals(AddressBlock.parse(later))
          ? "duplicates " + earlierPath + " (" + earlier + ")"
          : null;
    }
  }

  /**
   * The {@code directory} section; built per read, as its paths resolve against the file's folder.
   */
  private static final class Directory {
    static final String USERS_FILE = "users-file";
    static final Key<DirectorySource> SOURCE =
        Key.optional(
            "source", DirectorySource.FILE, Values.lowerCaseEnum(DirectorySource.class, Map.of()));

    static Mapping<DirectoryConfig> mapping(Path baseDir) {
      Key<Optional<Path>> usersFile =
          Key.optional(USERS_FILE, Optional.empty(), Values.present(filePath(baseDir)));
      Key<Optional<LdapConfig>> ldap =
          Key.optional("ldap", Optional.empty(), Values.present(Ldap.mapping(baseDir)));
      return Mapping.of(
          List.of(SOURCE, usersFile, ldap),
          f ->
              switch (f.get(SOURCE)) {
                case FILE ->
                    f.get(usersFile).isPresent() && f.get(ldap).isEmpty()
                        ? DirectoryConfig.file(f.get(usersFile).get())
                        : null;
                case LDAP ->
                    f.get(ldap).isPresent() && f.get(usersFile).isEmpty()
                        ? DirectoryConfig.ldap(f.get(ldap).get())
                        : null;
                case NONE ->
                    f.get(usersFile).isEmpty() && f.get(ldap).isEmpty()
                        ? DirectoryConfig.none()
                        : null;
              },
          (f, path, problems) -> {
            if (!f.valid(SOURCE)) {
              return;
            }
            DirectorySource source = f.get(SOURCE);
            String name = source.name().toLowerCase(Locale.ROOT);
            String shown = "source is " + name + (f.given(SOURCE) ? "" : " (the default)");
            if (source == DirectorySource.FILE && !f.given(usersFile)) {
              problems.add(YamlPath.key(path, usersFile.name()), "required when source is file");
            }
            if (source == DirectorySource.LDAP && !f.given(ldap)) {
              problems.add(YamlPath.key(path, ldap.name()), "required when source is ldap");
            }
            if (source != DirectorySource.FILE && f.given(usersFile)) {
              problems.add(path, usersFile.name() + " is set but " + shown);
            }
            if (source != DirectorySource.LDAP && f.given(ldap)) {
              problems.add(path, ldap.name() + " is set but " + shown);
            }
          });
    }
  }

  /** {@code directory.ldap}; built per read, as its password file resolves like the users file. */
  private static final class Ldap {

    static final Key<String> URL =
        Key.required(
            "url", Values.text("must be an ldap:// or ldaps:// URL", LdapSyntax::urlProblem));
    static final Key<String> BIND_DN =
        Key.required("bind-dn", Values.text("must be a DN", LdapSyntax::dnProblem));
    static final Key<Optional<String>> BIND_PASSWORD_ENV = passwordEnv("bind-password-env");
    static final Key<String> BASE_DN =
        Key.required("base-dn", Values.text("must be a DN", LdapSyntax::dnProblem));
    static final Key<String> USER_FILTER =
        Key.optional(
            "user-filter",
            "(uid={0})",
            Values.text("must be an LDAP filter", LdapSyntax::filterProblem));
    static final Key<String> SIP_ADDRESS_ATTRIBUTE =
        attribute("sip-address-attribute", "sipAddress");
    static final Key<String> ENABLED_ATTRIBUTE = attribute("enabled-attribute", "heraldEnabled");
    static final Key<String> DISPLAY_NAME_ATTRIBUTE = attribute("display-name-attribute", "cn");
    static final Key<Integer> TIMEOUT_MS =
        Key.optional(
            "timeout-ms",
            5_000,
            Values.integer(LdapConfig.MIN_TIMEOUT_MILLIS, LdapConfig.MAX_TIMEOUT_MILLIS));
    static final Key<Integer> CACHE_SECONDS =
        Key.optional("cache-seconds", 60, Values.integer(0, LdapConfig.MAX_CACHE_SECONDS));

    static Mapping<LdapConfig> mapping(Path baseDir) {
      Key<Optional<Path>> passwordFile =
          Key.optional("bind-password-file", Optional.empty(), Values.present(filePath(baseDir)));
      return Mapping.of(
          List.of(
              URL,
              BIND_DN,
              passwordFile,
              BIND_PASSWORD_ENV,
              BASE_DN,
              USER_FILTER,
              SIP_ADDRESS_ATTRIBUTE,
              ENABLED_ATTRIBUTE,
              DISPLAY_NAME_ATTRIBUTE,
              TIMEOUT_MS,
              CACHE_SECONDS),
          f ->
              f.get(passwordFile).isPresent() == f.get(BIND_PASSWORD_ENV).isPresent()
                  ? null // the check has said so
                  : new LdapConfig(
                      f.get(URL),
                      f.get(BIND_DN),
                      f.get(passwordFile).orElse(null),
                      f.get(BIND_PASSWORD_ENV).orElse(null),
                      f.get(BASE_DN),
                      f.get(USER_FILTER),
                      f.get(SIP_ADDRESS_ATTRIBUTE),
                      f.get(ENABLED_ATTRIBUTE),
                      f.get(DISPLAY_NAME_ATTRIBUTE),
                      f.get(TIMEOUT_MS),
                      f.get(CACHE_SECONDS)),
          (f, path, problems) -> checkPassword(f, passwordFile, BIND_PASSWORD_ENV, path, problems));
    }

    private static Key<String> attribute(String name, String defaultValue) {
      return Key.optional(
          name,
          defaultValue,
          Values.text("must be an LDAP attribute name", LdapSyntax::attributeProblem));
    }
  }

  /**
   * The {@code tls} section; built per read, as its paths resolve against the file's folder and,
   * with checkFiles, the stores they name must be readable.
   */
  private static final class Tls {
    static final Key<Optional<String>> KEYSTORE_PASSWORD_ENV = passwordEnv("keystore-password-env");
    static final Key<Optional<String>> TRUSTSTORE_PASSWORD_ENV =
        passwordEnv("truststore-password-env");
    static final Key<ClientAuth> CLIENT_AUTH =
        Key.optional(
            "client-auth", ClientAuth.NONE, Values.lowerCaseEnum(ClientAuth.class, Map.of()));
    // Absent, any peer the truststore vouches for is accepted; given, it must name someone.
    static final Key<List<String>> ALLOWED_PEER_NAMES =
        Key.optional(
            "allowed-peer-names",
            List.of(),
            Values.nonEmptyList("peer name", HeraldSchema::domain, Values::duplicate));

    static Mapping<TlsSettings> mapping(Path baseDir, boolean checkFiles) {
      Key<Path> keystore = Key.required("keystore", filePath(baseDir));
      Key<Optional<Path>> keystorePasswordFile = passwordFile("keystore-password-file", baseDir);
      Key<Optional<Path>> truststore =
          Key.optional("truststore", Optional.empty(), Values.present(filePath(baseDir)));
      Key<Optional<Path>> truststorePasswordFile =
          passwordFile("truststore-password-file", baseDir);
      return Mapping.of(
          List.of(
              keystore,
              keystorePasswordFile,
              KEYSTORE_PASSWORD_ENV,
              truststore,
              truststorePasswordFile,
              TRUSTSTORE_PASSWORD_ENV,
              CLIENT_AUTH,
              ALLOWED_PEER_NAMES),
          f -> {
            PasswordSource keystorePassword =
                password(f.get(keystorePasswordFile), f.get(KEYSTORE_PASSWORD_ENV));
            PasswordSource truststorePassword =
                password(f.get(truststorePasswordFile), f.get(TRUSTSTORE_PASSWORD_ENV));
            boolean clientAuth = f.get(CLIENT_AUTH) != ClientAuth.NONE;
            boolean consistent =
                keystorePassword != null
                    && (f.get(truststore).isPresent()
                        ? truststorePassword != null
                        : !f.given(truststorePasswordFile) && !f.given(TRUSTSTORE_PASSWORD_ENV))
                    && (clientAuth
                        ? f.get(truststore).isPresent()
                        : f.get(ALLOWED_PEER_NAMES).isEmpty());
            return consistent
                ? new TlsSettings(
                    f.get(keystore),
                    keystorePassword,
                    f.get(truststore).orElse(null),
                    f.get(truststore).isPresent() ? truststorePassword : null,
                    f.get(CLIENT_AUTH),
                    f.get(ALLOWED_PEER_NAMES))
                : null; // the check has said so
          },
          (f, path, problems) -> {
            checkPassword(f, keystorePasswordFile, KEYSTORE_PASSWORD_ENV, path, problems);
            if (f.given(truststore)) {
              checkPassword(f, truststorePasswordFile, TRUSTSTORE_PASSWORD_ENV, path, problems);
            } else {
              for (Key<?> key : List.of(truststorePasswordFile, TRUSTSTORE_PASSWORD_ENV)) {
                if (f.given(key)) {
                  problems.add(path, key.name() + " is set but " + truststore.name() + " is not");
                }
              }
            }
            if (f.valid(CLIENT_AUTH)) {
              ClientAuth clientAuth = f.get(CLIENT_AUTH);
              String shown =
                  "client-auth is "
                      + clientAuth.name().toLowerCase(Locale.ROOT)
                      + (f.given(CLIENT_AUTH) ? "" : " (the default)");
              if (clientAuth != ClientAuth.NONE && !f.given(truststore)) {
                problems.add(
                    YamlPath.key(path, truststore.name()),
                    "required when "
                        + shown
                        + ": it holds the CAs whose client certificates are accepted");
              }
              if (clientAuth == ClientAuth.NONE && f.given(ALLOWED_PEER_NAMES)) {
                problems.add(
                    path,
                    ALLOWED_PEER_NAMES.name()
                        + " is set but "
                        + shown
                        + ", so peers present no certificate to check");
              }
            }
            if (checkFiles && f.valid(keystore)) {
              checkReadable(f.get(keystore), YamlPath.key(path, keystore.name()), problems);
            }
            if (checkFiles && f.valid(truststore) && f.get(truststore).isPresent()) {
              checkReadable(
                  f.get(truststore).get(), YamlPath.key(path, truststore.name()), problems);
            }
          });
    }

    private static PasswordSource password(Optional<Path> file, Optional<String> env) {
      if (file.isPresent() == env.isPresent()) {
        return null;
      }
      return file.isPresent() ? PasswordSource.file(file.get()) : PasswordSource.env(env.get());
    }
  }

  /**
   * The {@code xmpp} section: the XEP-0114 component connection and the domain mapping (RFC 7247).
   * Built per read, as secret-file resolves against the file's folder.
   */
  private static final class Xmpp {
    static final Key<String> HOST = Key.optional("host", "127.0.0.1", HeraldSchema::hostOrIp);
    static final Key<Integer> PORT = Key.optional("port", 5347, Values.integer(1, 65_535));
    static final Key<String> COMPONENT_DOMAIN =
        Key.required("component-domain", HeraldSchema::domain);
    static final Key<Optional<String>> SECRET_ENV = passwordEnv("secret-env");
    static final Key<Map<String, String>> DOMAINS = Key.required("domains", Xmpp::domains);
    static final Key<Reconnect> RECONNECT = Key.section("reconnect", Reconnect.MAPPING);
    static final Key<Integer> SUBSCRIBE_LINGER =
        Key.optional(
            "subscribe-linger", XmppSettings.DEFAULT_SUBSCRIBE_LINGER, Values.integer(0, 3_600));
    static final Key<Integer> MESSAGE_ERROR_WAIT =
        Key.optional(
            "message-error-wait-ms",
            XmppSettings.DEFAULT_MESSAGE_ERROR_WAIT_MS,
            Values.integer(0, 10_000));

    static Mapping<XmppSettings> mapping(Path baseDir, boolean checkFiles) {
      Key<Optional<Path>> secretFile = passwordFile("secret-file", baseDir);
      return Mapping.of(
          List.of(
              HOST,
              PORT,
              COMPONENT_DOMAIN,
              secretFile,
              SECRET_ENV,
              DOMAINS,
              RECONNECT,
              SUBSCRIBE_LINGER,
              MESSAGE_ERROR_WAIT),
          f -> {
            PasswordSource secret = Tls.password(f.get(secretFile), f.get(SECRET_ENV));
            boolean consistent =
                secret != null && !f.get(DOMAINS).containsValue(f.get(COMPONENT_DOMAIN));
            return consistent
                ? new XmppSettings(
                    f.get(HOST),
                    f.get(PORT),
                    f.get(COMPONENT_DOMAIN),
                    secret,
                    f.get(DOMAINS),
                    f.get(RECONNECT).minDelayMs(),
                    f.get(RECONNECT).maxDelayMs(),
                    f.get(SUBSCRIBE_LINGER),
                    f.get(MESSAGE_ERROR_WAIT))
                : null; // the check has said so
          },
          (f, path, problems) -> {
            checkPassword(f, secretFile, SECRET_ENV, path, problems);
            if (f.valid(DOMAINS, COMPONENT_DOMAIN)) {
              String component = f.get(COMPONENT_DOMAIN);
              f.get(DOMAINS)
                  .forEach(
                      (sip, xmpp) -> {
                        if (xmpp.equals(component)) {
                          problems.add(
                              YamlPath.key(YamlPath.key(path, DOMAINS.name()), sip),
                              "maps to the component domain "
                                  + component
                                  + ", which is where SIP users appear in XMPP; name the XMPP"
                                  + " server's own domain for its users");
                        }
                      });
            }
            // Only a secret-file that would be used is worth opening.
            if (checkFiles
                && !f.given(SECRET_ENV)
                && f.valid(secretFile)
                && f.get(secretFile).isPresent()) {
              checkReadable(
                  f.get(secretFile).get(), YamlPath.key(path, secretFile.name()), problems);
            }
          });
    }

    /**
     * SIP domain to XMPP domain, both DNS host names, one to one: an XMPP user's SIP address must
     * map back to one XMPP domain.
     */
    private static Map<String, String> domains(JsonNode value, String path, Problems problems) {
      if (!value.isObject() || value.isEmpty()) {
        problems.add(
            path,
            "must be a mapping of SIP domain to XMPP domain (herald.test: xmpp.herald.test) with"
                + " at least one entry, was "
                + Values.describe(value));
        return null;
      }
      Map<String, String> domains = new LinkedHashMap<>();
      Map<String, String> sipAt = new HashMap<>();
      Map<String, String> xmppAt = new HashMap<>();
      boolean allValid = true;
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        String at = YamlPath.key(path, entry.getKey());
        if (!HostNames.isValid(entry.getKey())) {
          problems.add(
              at,
              "must be a SIP domain, a DNS host name such as herald.test, was "
                  + Values.describe(new TextNode(entry.getKey())));
          allValid = false;
          continue;
        }
        String xmpp = domain(entry.getValue(), at, problems);
        if (xmpp == null) {
          allValid = false;
          continue;
        }
        String sip = entry.getKey().toLowerCase(Locale.ROOT);
        String earlier = sipAt.putIfAbsent(sip, at);
        if (earlier != null) {
          problems.add(at, "duplicates " + earlier + " (domains compare case-insensitively)");
          allValid = false;
          continue;
        }
        String earlierXmpp = xmppAt.putIfAbsent(xmpp, at);
        if (earlierXmpp != null) {
          problems.add(
              at,
              "maps to "
                  + xmpp
                  + " like "
                  + earlierXmpp
                  + "; the mapping must be one to one so that an XMPP user's address maps back");
          allValid = false;
          continue;
        }
        domains.put(sip, xmpp);
      }
      return allValid ? domains : null;
    }
  }

  /** {@code xmpp.reconnect}: exponential backoff bounds, in milliseconds. */
  private record Reconnect(int minDelayMs, int maxDelayMs) {
    static final Key<Integer> MIN =
        Key.optional("min-delay-ms", 1_000, Values.integer(10, 3_600_000));
    static final Key<Integer> MAX =
        Key.optional("max-delay-ms", 60_000, Values.integer(10, 3_600_000));
    static final Mapping<Reconnect> MAPPING =
        Mapping.of(
            List.of(MIN, MAX),
            f -> f.get(MIN) > f.get(MAX) ? null : new Reconnect(f.get(MIN), f.get(MAX)),
            (f, path, problems) -> {
              if (f.valid(MIN, MAX) && f.get(MIN) > f.get(MAX)) {
                problems.add(path, Expires.shown(f, MIN) + " is above " + Expires.shown(f, MAX));
              }
            });
  }

  /** A file that cannot be opened is reported now rather than when Herald starts. */
  private static void checkReadable(Path file, String at, Problems problems) {
    try {
      // Opening is the test; the secret or password itself is read at start-up.
      Files.newInputStream(file).close();
    } catch (IOException e) {
      problems.add(at, "cannot read " + file + ": " + ConfigLoader.reason(e));
    }
  }

  /** The {@code registrar} section. */
  private static final class Registrar {
    static final Key<Integer> MIN = Key.optional("min-expires", 60, Values.integer(1, MAX_EXPIRES));
    static final Key<Integer> DEFAULT =
        Key.optional("default-expires", 3_600, Values.integer(1, MAX_EXPIRES));
    static final Key<Integer> MAX =
        Key.optional("max-expires", 7_200, Values.integer(1, MAX_EXPIRES));
    static final Key<Integer> MAX_CONTACTS_PER_ADDRESS =
        Key.optional("max-contacts-per-address", 10, Values.integer(1, 1_000));
    static final Key<Boolean> REGISTRATION_AS_PRESENCE =
        Key.optional("registration-as-presence", false, Values.bool());

    static final Mapping<RegistrarPolicy> MAPPING =
        Mapping.of(
            List.of(MIN, DEFAULT, MAX, MAX_CONTACTS_PER_ADDRESS, REGISTRATION_AS_PRESENCE),
            f ->
                new RegistrarPolicy(
                    f.get(MIN),
                    f.get(DEFAULT),
                    f.get(MAX),
                    f.get(MAX_CONTACTS_PER_ADDRESS),
                    f.get(REGISTRATION_AS_PRESENCE)),
            Expires.order(MIN, DEFAULT, MAX));
  }

  /** An environment variable's name, as POSIX shells accept it. */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** An optional key naming the environment variable that holds a password. */
  private static Key<Optional<String>> passwordEnv(String name) {
    return Key.optional(
        name,
        Optional.empty(),
        Values.present(
            Values.text(
                "must be the name of an environment variable",
                env ->
                    ENV_NAME.matcher(env).matches()
                        ? null
                        : "must be the name of an environment variable:"
                            + " letters, digits and _, not starting with a digit")));
  }

  /** An optional key naming the file that holds a password, resolved against {@code baseDir}. */
  private static Key<Optional<Path>> passwordFile(String name, Path baseDir) {
    return Key.optional(name, Optional.empty(), Values.present(filePath(baseDir)));
  }

  /** A password comes from exactly one of a file and an environment variable, never the YAML. */
  private static void checkPassword(
      Fields f, Key<?> file, Key<?> env, String path, Problems problems) {
    if (f.given(file) && f.given(env)) {
      problems.add(path, file.name() + " and " + env.name() + " are both set; give one");
    } else if (!f.given(file) && !f.given(env)) {
      problems.add(
          path,
          "needs "
              + file.name()
              + " or "
              + env.name()
              + " (the password itself is never written in this file)");
    }
  }

  /** A file path, resolved against {@code baseDir} unless absolute; the file need not exist. */
  private static ValueReader<Path> filePath(Path baseDir) {
    ValueReader<String> text =
        Values.text("must be a file path", path -> path.isBlank() ? "must be a file path" : null);
    return (value, path, problems) -> {
      String written = text.read(value, path, problems);
      if (written == null) {
        return null;
      }
      try {
        return baseDir.resolve(written).normalize();
      } catch (InvalidPathException e) {
        problems.add(
            path, "must be a file path (" + e.getReason() + "), was " + Values.describe(value));
        return null;
      }
    };
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

  /** An IP literal, kept as written, or a DNS host name, lower-cased. */
  private static String hostOrIp(JsonNode value, String path, Problems problems) {
    if (value.isTextual() && IpLiterals.parse(value.textValue()) != null) {
      return value.textValue();
    }
    if (value.isTextual() && HostNames.isValid(value.textValue())) {
      return value.textValue().toLowerCase(Locale.ROOT);
    }
    problems.add(
        path,
        "must be an IP address such as 127.0.0.1 or a DNS host name such as xmpp.example.com, was "
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
}
