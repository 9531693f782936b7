package dev.herald;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.ExpiryScheduler;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.DirectorySource;
import dev.herald.config.HeraldConfig;
import dev.herald.config.Listener;
import dev.herald.config.PasswordSource;
import dev.herald.config.SecurityPolicy;
import dev.herald.config.TlsSettings;
import dev.herald.cucm.BackendStats;
import dev.herald.cucm.BackendSubscriptions;
import dev.herald.cucm.CucmTrunkHomes;
import dev.herald.cucm.EnginePhoneState;
import dev.herald.cucm.SipOptionsPinger;
import dev.herald.cucm.TrunkMonitor;
import dev.herald.cucm.TrunkPresentities;
import dev.herald.cucm.TrunkTelephony;
import dev.herald.directory.AccessPolicy;
import dev.herald.directory.Directory;
import dev.herald.directory.DirectoryException;
import dev.herald.directory.User;
import dev.herald.im.mapping.AddressMapping;
import dev.herald.im.routing.ImRouter;
import dev.herald.im.routing.SipServerSender;
import dev.herald.im.routing.SipUsers;
import dev.herald.im.xmpp.ComponentOptions;
import dev.herald.im.xmpp.Stanzas;
import dev.herald.im.xmpp.XmlElement;
import dev.herald.im.xmpp.XmppComponent;
import dev.herald.presence.DialogPackage;
import dev.herald.presence.NotifyTransport;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PresenceStats;
import dev.herald.presence.PresenceStore;
import dev.herald.presence.PublishHandler;
import dev.herald.presence.SubscribeHandler;
import dev.herald.presence.SubscriberDialogs;
import dev.herald.presence.TelephonyNotifyHandler;
import dev.herald.presence.WatcherInfoPackage;
import dev.herald.presence.auth.PresenceAuthorization;
import dev.herald.presence.auth.WatcherRules;
import dev.herald.registrar.Binding;
import dev.herald.registrar.RegisterHandler;
import dev.herald.registrar.Registrar;
import dev.herald.sip.Authentication;
import dev.herald.sip.Identity;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.OverloadLimits;
import dev.herald.sip.RateLimit;
import dev.herald.sip.Rejection;
import dev.herald.sip.ResponseCallback;
import dev.herald.sip.SipServer;
import dev.herald.sip.SipServerSettings;
import dev.herald.sip.SipStats;
import dev.herald.sip.SipTlsSettings;
import dev.herald.sip.TcpLimits;
import dev.herald.sip.auth.DigestAlgorithm;
import dev.herald.sip.auth.DigestAuthenticator;
import dev.herald.sip.dialog.NotifyRequest;
import dev.herald.xmpp.ComponentLink;
import dev.herald.xmpp.XmppPresence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Herald: the wiring of configuration, SIP server and presence engine. {@link Main}
 * runs one; integration tests start one in-process on loopback ports.
 */
public final class Herald implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Herald.class);
  static final String PRODUCT = "Herald/0.1";

  private final HeraldConfig config;
  private final KeyedExecutor lanes;
  private final PresenceEngine presence;
  private final Registrar registrar;
  private final Directory directory;
  private final SipServer sip;
  private final TrunkMonitor trunks;
  private final BackendSubscriptions backends;
  private final Optional<XmppComponent> xmpp;
  private final Optional<XmppPresence> xmppPresence;
  private final ScheduledExecutorService statsLog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "herald-stats");
            t.setDaemon(true);
            return t;
          });
  private ExpiryScheduler expiry; // set by start(), before anyone else sees this Herald
  private ExpiryScheduler imTimers; // likewise
  private volatile boolean stopped;

  private Herald(
      HeraldConfig config,
      KeyedExecutor lanes,
      PresenceEngine presence,
      Registrar registrar,
      Directory directory,
      SipServer sip,
      TrunkMonitor trunks,
      BackendSubscriptions backends,
      Optional<XmppComponent> xmpp,
      Optional<XmppPresence> xmppPresence) {
    this.config = config;
    this.lanes = lanes;
    this.presence = presence;
    this.registrar = registrar;
    this.directory = directory;
    this.sip = sip;
    this.trunks = trunks;
    this.backends = backends;
    this.xmpp = xmpp;
    this.xmppPresence = xmppPresence;
  }

  /** Starts Herald on a configuration that has already been validated. */
  public static Herald start(HeraldConfig config) throws HeraldStartException {
    // First, so that a TLS password that cannot be read stops start-up before anything opens.
    SipServerSettings sipSettings = sipSettings(config);
    // Likewise the XMPP component's secret.
    Optional<ComponentOptions> xmppOptions;
    try {
      xmppOptions =
          config.xmpp().isPresent()
              ? Optional.of(ComponentOptions.of(config.xmpp().get()))
              : Optional.empty();
    } catch (IOException e) {
      throw new HeraldStartException(e.getMessage(), e);
    }
    Directory directory;
    try {
      directory = Directory.open(config.directory());
    } catch (DirectoryException e) {
      throw new HeraldStartException("cannot open the user directory: " + e.getMessage(), e);
    }
    int laneCount =
        config.presence().executorLanes() > 0
            ? config.presence().executorLanes()
            : 2 * Runtime.getRuntime().availableProcessors();
    KeyedExecutor lanes = KeyedExecutor.striped(laneCount, "presence-lane");
    // The engine needs the SIP server to send, the server needs the engine's handlers to start,
    // and registrar and engine tell each other of registrations.
    AtomicReference<SipServer> server = new AtomicReference<>();
    // The IM router is a handler of the server, and it sends through the component started last.
    AtomicReference<XmppComponent> xmpp = new AtomicReference<>();
    AtomicReference<PresenceEngine> presence = new AtomicReference<>();
    boolean registrationCounts = config.registrar().registrationAsPresence();
    ExpiryScheduler expiry = ExpiryScheduler.start("herald-expiry");
    Registrar registrar =
        new Registrar(
            config.registrar(),
            lanes,
            Ticker.systemTicker(),
            expiry.caffeine(),
            ForkJoinPool.commonPool(),
            (aor, registered) -> {
              if (registrationCounts) {
                presence.get().registrationChanged(aor);
              }
            });
    PresencePackage presencePackage = new PresencePackage(config.presence().maxDocumentBytes());
    PresenceEngine engine =
        new PresenceEngine(
            config.presence(),
            List.of(
                presencePackage,
                new WatcherInfoPackage(presencePackage.name()),
                dialogPackage(config)),
            lanes,
            new NotifyTransport() {
              @Override
              public void send(Request request, ListenPoint from, ResponseCallback callback) {
                server.get().send(request, from, callback);
              }

              @Override
              public void send(NotifyRequest notify, ResponseCallback callback) {
                server.get().send(notify, callback); // as text when it goes over UDP
              }
            },
            listener ->
                PresenceStore.caffeine(
                    Ticker.systemTicker(), expiry.caffeine(), ForkJoinPool.commonPool(), listener),
            address -> registrationCounts && registrar.isRegistered(address),
            WatcherRules.of(config.presence().authorization(), directory::presenceLists));
    presence.set(engine);
    // Presence across the XMPP gateway: made now for the SUBSCRIBE access check, connected when
    // the component is (it is started last).
    AtomicReference<XmppComponent> component = xmpp;
    boolean noDirectory = config.directory().source() == DirectorySource.NONE;
    Optional<XmppPresence> xmppPresence =
        config
            .xmpp()
            .map(
                settings ->
                    XmppPresence.start(
                        settings,
                        engine,
                        presencePackage,
                        address -> noDirectory || directory.byAddress(address).isPresent(),
                        address ->
                            noDirectory
                                || directory.byAddress(address).map(User::enabled).orElse(false),
                        componentLink(component)));
    // The back-end subscriptions need the trunk monitor, which needs the started server; watcher
    // counts and NOTIFYs that come before they exist find nothing to do.
    AtomicReference<BackendSubscriptions> backends = new AtomicReference<>();
    engine.observeWatchers(
        (presentity, count) -> {
          BackendSubscriptions b = backends.get();
          if (b != null) {
            b.watchers(presentity, count);
          }
          xmppPresence.ifPresent(x -> x.watchers(presentity, count));
        });
    SubscriberDialogs ownDialogs =
        new SubscriberDialogs() {
          @Override
          public boolean knows(String callId, String toTag) {
            BackendSubscriptions b = backends.get();
            return b != null && b.knows(callId, toTag);
          }

          @Override
          public void notified(
              javax.sip.message.Request notify,
              String state,
              dev.herald.presence.TelephonyDocument document,
              int expires,
              String reason,
              int retryAfter) {
            backends.get().notified(notify, state, document, expires, reason, retryAfter);
          }
        };
    AccessPolicy access =
        noDirectory
            ? AccessPolicy.open()
            : AccessPolicy.of(directory)
                .withRemotePresentities(
                    new TrunkPresentities(
                        config.trunks(),
                        xmppPresence
                            .map(XmppPresence::remotePresentities)
                            .orElse(dev.herald.directory.RemotePresentities.NONE)));
    Predicate<String> trusted = trustedSources(config);
    TrunkTelephony telephony =
        new TrunkTelephony(config.trunks(), address -> directory.byAddress(address).isPresent());
    ExpiryScheduler imTimers = ExpiryScheduler.start("herald-im-timers");
    AtomicReference<TrunkMonitor> trunkMonitor = new AtomicReference<>();
    ImRouter im =
        imRouter(config, directory, access, registrar, lanes, imTimers, server, xmpp, trunkMonitor);
    SipServer.Builder builder =
        SipServer.builder(sipSettings)
            .handle("REGISTER", new RegisterHandler(registrar, config.domains(), access))
            .handle("PUBLISH", new PublishHandler(engine, access, telephony))
            .handle(
                "NOTIFY",
                new TelephonyNotifyHandler(
                    engine, telephony, config.presence().publish().defaultExpires(), ownDialogs))
            .handle("SUBSCRIBE", new SubscribeHandler(engine, access))
            .handle("MESSAGE", im)
            .accept(PresencePackage.PIDF)
            .accept(DialogPackage.DIALOG_INFO)
            .accept("text/plain")
            .accept("message/cpim")
            .authentication(authentication(config.security(), directory, trusted))
            .overload(
                new OverloadLimits(
                    config.sip().overload().maxQueuedDatagrams(),
                    config.sip().overload().maxBacklog(),
                    config.sip().overload().retryAfterSeconds()),
                lanes::backlog)
            .tcp(
                new TcpLimits(
                    config.sip().tcp().maxConnections(),
                    config.sip().tcp().readTimeoutMillis(),
                    config.sip().tcp().idleTimeoutSeconds() * 1_000L))
            .rateLimit(
                new RateLimit(
                    config.sip().rateLimit().perSecond(), config.sip().rateLimit().burst()),
                trusted);
    for (String name : engine.eventPackageNames()) {
      builder.allowEvent(name);
    }
    try {
      server.set(builder.start());
    } catch (SipServer.SipStartException e) {
      xmppPresence.ifPresent(XmppPresence::close);
      lanes.shutdown(Duration.ZERO);
      expiry.close();
      imTimers.close();
      directory.close();
      throw new HeraldStartException(e.getMessage(), e);
    }
    LOG.info(
        "Herald started: {} lanes, domains {}, realm {}, trusted peers {}, trunks {}",
        laneCount,
        config.domains(),
        config.security().realm(),
        config.security().trustedPeers(),
        config.trunks().stream().map(t -> t.name() + " " + t.peers()).toList());
    warnIfDemoUsersExposed(config, directory);
    TrunkMonitor trunks =
        TrunkMonitor.start(
            config.trunks(), new SipOptionsPinger(server.get(), config.domains().get(0)));
    trunkMonitor.set(trunks);
    backends.set(
        BackendSubscriptions.start(
            config.trunks(),
            telephony,
            trunks,
            server.get(),
            new EnginePhoneState(engine, presencePackage),
            config.domains().get(0)));
    // It connects in the background: Herald serves SIP whether or not the XMPP server is up.
    Optional<XmppComponent> started =
        xmppOptions.map(options -> startXmppComponent(options, xmppPresence.orElseThrow(), im));
    started.ifPresent(xmpp::set);
    Herald herald =
        new Herald(
            config,
            lanes,
            engine,
            registrar,
            directory,
            server.get(),
            trunks,
            backends.get(),
            started,
            xmppPresence);
    herald.expiry = expiry;
    herald.imTimers = imTimers;
    herald.statsLog.scheduleWithFixedDelay(
        () -> LOG.info("stats: {}", herald.statsLine()),
        STATS_INTERVAL.toSeconds(),
        STATS_INTERVAL.toSeconds(),
        TimeUnit.SECONDS);
    return herald;
  }

  /** How often the {@code stats:} line is logged (what scripts/bench/soak records). */
  static final Duration STATS_INTERVAL = Duration.ofSeconds(60);

  /**
   * One line of counters, {@code key=value} separated by spaces: presentities, publications,
   * subscriptions (each is a dialog Herald keeps), registrations, lane backlog, NOTIFYs in flight,
   * NOTIFYs sent, failed and superseded since start (a superseded state was replaced by a newer one
   * while waiting behind its subscription's unanswered NOTIFY), the SIP stack's server and client
   * transactions and its own dialogs, open TCP connections, live threads, and heap in use (MiB, not
   * after a collection). Logged every {@link #STATS_INTERVAL} at INFO (logger {@code
   * dev.herald.Herald}).
   */
  public String statsLine() {
    PresenceStats p = presence.stats();
    SipStats s = sip.stats();
    Runtime rt = Runtime.getRuntime();
    return "presentities="
        + p.presentities()
        + " publications="
        + p.publications()
        + " subscriptions="
        + p.subscriptions()
        + " registrations="
        + registrar.bindingCount()
        + " backlog="
        + p.backlog()
        + " notifies-in-flight="
        + p.notifiesInFlight()
        + " notifies-sent="
        + p.notifiesSent()
        + " notifies-failed="
        + p.notifiesFailed()
        + " notifies-superseded="
        + p.notifiesSuperseded()
        + " server-transactions="
        + s.serverTransactions()
        + " client-transactions="
        + s.clientTransactions()
        + " stack-dialogs="
        + s.stackDialogs()
        + " tcp-connections="
        + s.tcpConnections()
        + " threads="
        + Thread.activeCount()
        + " heap-used-mib="
        + (rt.totalMemory() - rt.freeMemory()) / (1 << 20);
  }

  /**
   * The dialog package (BLF): it remembers terminated dialogs as long as a publication can live, so
   * no stale publication outlives the memory that overrides it.
   */
  private static DialogPackage dialogPackage(HeraldConfig config) {
    return new DialogPackage(
        config.presence().maxDocumentBytes(),
        Duration.ofSeconds(config.presence().publish().maxExpires()),
        Ticker.systemTicker());
  }

  /**
   * Digest authentication of REGISTER, PUBLISH, SUBSCRIBE and MESSAGE from anyone but the trusted
   * peers and the trunks' peers, with the HA1s the directory holds.
   */
  private static Authentication authentication(
      SecurityPolicy security, Directory directory, Predicate<String> trusted) {
    List<DigestAlgorithm> algorithms = new ArrayList<>();
    for (String token : security.algorithms()) {
      algorithms.add(
          DigestAlgorithm.fromToken(token)
              .orElseThrow(() -> new IllegalArgumentException("unknown algorithm " + token)));
    }
    DigestAuthenticator authenticator =
        DigestAuthenticator.builder(
                security.realm(),
                (user, realm, algorithm) -> directory.ha1(user, realm, algorithm.token()))
            .algorithms(algorithms.toArray(new DigestAlgorithm[0]))
            .nonceLifetime(Duration.ofSeconds(security.nonceLifetimeSeconds()))
            .build();
    return new Authentication(
        authenticator, trusted, Set.of("REGISTER", "PUBLISH", "SUBSCRIBE", "MESSAGE"));
  }

  /**
   * Whether a source IP address (a literal) is a trusted peer or a trunk's peer, remembered per
   * address: it is asked for every request (rate limit, authentication).
   */
  private static Predicate<String> trustedSources(HeraldConfig config) {
    Cache<String, Boolean> known = Caffeine.newBuilder().maximumSize(10_000).build();
    return source -> known.get(source, s -> trusts(config, s));
  }

  private static boolean trusts(HeraldConfig config, String sourceAddress) {
    try {
      // The source is the IP literal the packet came from: no name is resolved here.
      return config.trusts(InetAddress.getByName(sourceAddress));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The demo users of config/users.yaml; each one's password is {@code <id>-demo}. */
  private static final List<String> DEMO_USERS = List.of("alice", "bob", "carol", "dave");

  private static final String DEMO_REALM = "herald.test";

  /**
   * Warns when the users file still grants the demo users their published passwords while Herald
   * listens beyond loopback, where anyone who has read config/users.yaml can sign in as them.
   */
  private static void warnIfDemoUsersExposed(HeraldConfig config, Directory directory) {
    if (config.directory().source() != DirectorySource.FILE) {
      return;
    }
    List<String> addresses = config.listeners().stream().map(Listener::address).toList();
    List<String> exposed =
        exposedDemoUsers(
            addresses, id -> directory.ha1(id, DEMO_REALM, DigestAlgorithm.MD5.token()));
    if (!exposed.isEmpty()) {
      LOG.warn(
          "users file {} gives the demo users {} their published demo passwords, and Herald"
              + " listens on {}, beyond loopback: anyone can sign in as them. Use a users file of"
              + " real users.",
          config.directory().usersFile(),
          exposed,
          addresses.stream().filter(a -> !isLoopback(a)).toList());
    }
  }

  /**
   * The demo users whose stored MD5 HA1 for realm herald.test is the one of their demo password,
   * when any listener address is not a loopback address ({@code 0.0.0.0} and {@code ::} are not);
   * none when every listener is on loopback.
   *
   * @param listenerAddresses the listeners' IP literals
   * @param md5Ha1 a user id's stored MD5 HA1 for realm herald.test, if any
   */
  static List<String> exposedDemoUsers(
      List<String> listenerAddresses, Function<String, Optional<String>> md5Ha1) {
    if (listenerAddresses.stream().allMatch(Herald::isLoopback)) {
      return List.of();
    }
    List<String> exposed = new ArrayList<>();
    for (String id : DEMO_USERS) {
      String demo = DigestAlgorithm.MD5.ha1(id, DEMO_REALM, id + "-demo");
      if (md5Ha1.apply(id).filter(demo::equals).isPresent()) {
        exposed.add(id);
      }
    }
    return List.copyOf(exposed);
  }

  private static boolean isLoopback(String address) {
    try {
      // Listener addresses are validated IP literals: parsed here, never looked up.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static SipServerSettings sipSettings(HeraldConfig config) throws HeraldStartException {
    List<ListenPoint> points = new ArrayList<>();
    for (Listener l : config.listeners()) {
      points.add(
          new ListenPoint(l.transport().name().toLowerCase(Locale.ROOT), l.address(), l.port()));
    }
    Optional<SipTlsSettings> tls = Optional.empty();
    if (config.tls().isPresent()) {
      TlsSettings t = config.tls().get();
      tls =
          Optional.of(
              new SipTlsSettings(
                  t.keystore(),
                  password(t.keystorePassword(), "keystore"),
                  t.truststore(),
                  t.truststore() == null ? null : password(t.truststorePassword(), "truststore"),
                  SipTlsSettings.ClientAuth.valueOf(t.clientAuth().name()),
                  t.allowedPeerNames()));
    }
    return new SipServerSettings(
        points,
        config.domains(),
        config.sip().threadPoolSize(),
        config.sip().maxMessageSize(),
        config.sip().trace(),
        PRODUCT,
        tls);
  }

  /**
   * A TLS store's password: the first line of its file, or its environment variable. Missing, it
   * stops start-up; the configuration only says where the password is.
   */
  private static char[] password(PasswordSource source, String store) throws HeraldStartException {
    if (source.file() != null) {
      try {
        String text = Files.readString(source.file(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
      } catch (IOException e) {
        String reason = e instanceof NoSuchFileException ? "no such file" : e.toString();
        throw new HeraldStartException(
            "cannot read the TLS " + store + " password from " + source.file() + ": " + reason, e);
      }
    }
    String value = System.getenv(source.env());
    if (value == null) {
      throw new HeraldStartException(
          "the TLS "
              + store
              + " password is to come from environment variable "
              + source.env()
              + ", which is not set",
          null);
    }
    return value.toCharArray();
  }

  /**
   * The IM router (RFC 3428 MESSAGE, RFC 7572 to and from XMPP): a local SIP user is one of the
   * directory or anyone registered; their devices are the registrar's bindings; a user a trunk's
   * telephony-source covers goes to that trunk. It routes on the recipient's lane and sends through
   * the SIP server, the XMPP component and the trunk monitor, all made later.
   */
  private static ImRouter imRouter(
      HeraldConfig config,
      Directory directory,
      AccessPolicy access,
      Registrar registrar,
      KeyedExecutor lanes,
      ExpiryScheduler imTimers,
      AtomicReference<SipServer> server,
      AtomicReference<XmppComponent> xmpp,
      AtomicReference<TrunkMonitor> trunks) {
    SipUsers users =
        new SipUsers() {
          @Override
          public boolean isKnown(String aor) {
            return directory.byAddress(aor).isPresent();
          }

          @Override
          public Rejection maySendAs(Identity who, String fromAor) {
            return access.maySendAs(who, fromAor);
          }

          @Override
          public List<String> contacts(String aor) {
            return registrar.lookup(aor).stream().map(Binding::contact).toList();
          }
        };
    return new ImRouter(
        users,
        (request, callback) -> new SipServerSender(server.get()).send(request, callback),
        lanes::execute,
        // Its own timer thread: CompletableFuture.delayedExecutor would run each task on a new
        // thread (on 2 cores the common pool has parallelism 1, and then CompletableFuture's async
        // pool is thread-per-task), two per message: BENCHMARKS.md, IM gateway.
        (delay, task) ->
            imTimers.schedule(
                delay,
                () -> {
                  try {
                    task.run();
                  } catch (RuntimeException e) {
                    LOG.error("IM timer task failed", e);
                  }
                }),
        config
            .xmpp()
            .map(
                x ->
                    new ImRouter.XmppSide(
                        AddressMapping.of(x),
                        xmpp::get,
                        Duration.ofMillis(x.messageErrorWaitMs()))),
        new CucmTrunkHomes(config.trunks(), trunks::get));
  }

  /**
   * The IM gateway's XEP-0114 component connection. Stanzas are dispatched by element name: {@code
   * <message>} to the IM router, {@code <presence>} to presence across the gateway; an IQ request
   * is answered service-unavailable, as is anything else that asks for an answer.
   */
  private static XmppComponent startXmppComponent(
      ComponentOptions options, XmppPresence presence, ImRouter im) {
    AtomicReference<XmppComponent> component = new AtomicReference<>();
    component.set(
        XmppComponent.start(
            options,
            new XmppComponent.Listener() {
              @Override
              public void stanza(XmlElement stanza) {
                switch (stanza.name()) {
                  case "presence" -> presence.stanza(stanza);
                  case "message" -> im.xmppMessage(stanza);
                  default -> serviceUnavailable(component.get(), stanza);
                }
              }

              @Override
              public void stateChanged(XmppComponent.State state) {
                presence.connection(state);
                im.xmppStateChanged(state);
              }
            }));
    return component.get();
  }

  /** RFC 6120 §8.2.3: an IQ request nothing here handles is answered service-unavailable. */
  private static void serviceUnavailable(XmppComponent component, XmlElement stanza) {
    Stanzas.serviceUnavailable(stanza)
        .ifPresentOrElse(
            error -> {
              if (component != null) { // null only before start returned
                component.send(error);
              }
            },
            () -> LOG.debug("XMPP stanza not handled: {}", stanza));
  }

  /** The component connection as presence sees it; before it is set, down. */
  private static ComponentLink componentLink(AtomicReference<XmppComponent> component) {
    return new ComponentLink() {
      @Override
      public boolean send(XmlElement stanza) {
        XmppComponent c = component.get();
        return c != null && c.send(stanza);
      }

      @Override
      public boolean isUp() {
        XmppComponent c = component.get();
        return c != null && c.isUp();
      }

      @Override
      public Duration retryAfter() {
        XmppComponent c = component.get();
        return c == null ? Duration.ofSeconds(1) : c.retryAfter();
      }
    };
  }

  public HeraldConfig config() {
    return config;
  }

  public PresenceEngine presence() {
    return presence;
  }

  /**
   * Allowing and denying watchers of a presentity, and who waits for a decision (RFC 3856 §6.6.2).
   * Decisions are kept in memory: they do not survive a restart.
   */
  public PresenceAuthorization authorization() {
    return presence.authorization();
  }

  /**
   * The XEP-0114 component connection when the configuration has an {@code xmpp} section: whether
   * it is up ({@link XmppComponent#isUp}) and the {@code Retry-After} while it is not.
   */
  public Optional<XmppComponent> xmpp() {
    return xmpp;
  }

  public SipServer sip() {
    return sip;
  }

  /** The health of the trunks' peers, as their OPTIONS pings say; routing asks it for a peer. */
  public TrunkMonitor trunks() {
    return trunks;
  }

  /** The counters of the back-end subscriptions to CUCM (the subscription B2BUA). */
  public BackendStats backendStats() {
    return backends.stats();
  }

  /** The location service: where users' devices are registered. */
  public Registrar registrar() {
    return registrar;
  }

  /**
   * Stops cleanly: every subscription gets its final NOTIFY ({@code reason=deactivated}), answers
   * are awaited for at most {@code grace}, then the sockets close.
   */
  public void shutdown(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.info("Herald stopping: ending {} subscriptions", presence.stats().subscriptions());
    LOG.info("stats: {}", statsLine());
    statsLog.shutdownNow();
    backends.close();
    trunks.close();
    xmpp.ifPresent(XmppComponent::close);
    presence.shutdown(grace);
    xmppPresence.ifPresent(XmppPresence::close);
    sip.close();
    lanes.shutdown(Duration.ofSeconds(1));
    expiry.close();
    imTimers.close();
    directory.close();
    LOG.info("Herald stopped");
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }

  /** Herald could not start: a socket could not be bound, or the directory could not be opened. */
  public static final class HeraldStartException extends Exception {
    private static final long serialVersionUID = 1L;

    HeraldStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
