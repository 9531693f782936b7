package dev.herald;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.DirectorySource;
import dev.herald.config.HeraldConfig;
import dev.herald.config.Listener;
import dev.herald.config.SecurityPolicy;
import dev.herald.directory.AccessPolicy;
import dev.herald.directory.Directory;
import dev.herald.directory.DirectoryException;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PresenceStore;
import dev.herald.presence.PublishHandler;
import dev.herald.presence.SubscribeHandler;
import dev.herald.registrar.RegisterHandler;
import dev.herald.registrar.Registrar;
import dev.herald.sip.Authentication;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipServer;
import dev.herald.sip.SipServerSettings;
import dev.herald.sip.auth.DigestAlgorithm;
import dev.herald.sip.auth.DigestAuthenticator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
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
  private volatile boolean stopped;

  private Herald(
      HeraldConfig config,
      KeyedExecutor lanes,
      PresenceEngine presence,
      Registrar registrar,
      Directory directory,
      SipServer sip) {
    this.config = config;
    this.lanes = lanes;
    this.presence = presence;
    this.registrar = registrar;
    this.directory = directory;
    this.sip = sip;
  }

  /** Starts Herald on a configuration that has already been validated. */
  public static Herald start(HeraldConfig config) throws HeraldStartException {
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
    AtomicReference<PresenceEngine> presence = new AtomicReference<>();
    boolean registrationCounts = config.registrar().registrationAsPresence();
    Registrar registrar =
        new Registrar(
            config.registrar(),
            lanes,
            Ticker.systemTicker(),
            Scheduler.systemScheduler(),
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
            List.of(presencePackage),
            lanes,
            (request, from, callback) -> server.get().send(request, from, callback),
            listener ->
                PresenceStore.caffeine(
                    Ticker.systemTicker(),
                    Scheduler.systemScheduler(),
                    ForkJoinPool.commonPool(),
                    listener),
            address -> registrationCounts && registrar.isRegistered(address));
    presence.set(engine);
    AccessPolicy access =
        config.directory().source() == DirectorySource.NONE
            ? AccessPolicy.open()
            : AccessPolicy.of(directory);
    SipServer.Builder builder =
        SipServer.builder(sipSettings(config))
            .handle("REGISTER", new RegisterHandler(registrar, config.domains(), access))
            .handle("PUBLISH", new PublishHandler(engine, access))
            .handle("SUBSCRIBE", new SubscribeHandler(engine, access))
            .accept(PresencePackage.PIDF)
            .authentication(authentication(config.security(), directory));
    for (String name : engine.eventPackageNames()) {
      builder.allowEvent(name);
    }
    try {
      server.set(builder.start());
    } catch (SipServer.SipStartException e) {
      lanes.shutdown(Duration.ZERO);
      directory.close();
      throw new HeraldStartException(e.getMessage(), e);
    }
    LOG.info(
        "Herald started: {} lanes, domains {}, realm {}, trusted peers {}",
        laneCount,
        config.domains(),
        config.security().realm(),
        config.security().trustedPeers());
    return new Herald(config, lanes, engine, registrar, directory, server.get());
  }

  /**
   * Digest authentication of REGISTER, PUBLISH and SUBSCRIBE from anyone but the trusted peers,
   * with the HA1s the directory holds.
   */
  private static Authentication authentication(SecurityPolicy security, Directory directory) {
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
        authenticator,
        source -> trusts(security, source),
        Set.of("REGISTER", "PUBLISH", "SUBSCRIBE"));
  }

  private static boolean trusts(SecurityPolicy security, String sourceAddress) {
    try {
      // The source is the IP literal the packet came from: no name is resolved here.
      return security.trusts(InetAddress.getByName(sourceAddress));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static SipServerSettings sipSettings(HeraldConfig config) {
    List<ListenPoint> points = new ArrayList<>();
    for (Listener l : config.listeners()) {
      points.add(
          new ListenPoint(l.transport().name().toLowerCase(Locale.ROOT), l.address(), l.port()));
    }
    return new SipServerSettings(
        points,
        config.domains(),
        config.sip().threadPoolSize(),
        config.sip().maxMessageSize(),
        config.sip().trace(),
        PRODUCT);
  }

  public HeraldConfig config() {
    return config;
  }

  public PresenceEngine presence() {
    return presence;
  }

  public SipServer sip() {
    return sip;
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
    presence.shutdown(grace);
    sip.close();
    lanes.shutdown(Duration.ofSeconds(1));
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
