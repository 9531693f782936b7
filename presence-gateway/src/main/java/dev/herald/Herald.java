package dev.herald;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.herald.concurrent.KeyedExecutor;
import dev.herald.config.HeraldConfig;
import dev.herald.config.Listener;
import dev.herald.presence.PresenceEngine;
import dev.herald.presence.PresencePackage;
import dev.herald.presence.PresenceStore;
import dev.herald.presence.PublishHandler;
import dev.herald.presence.SubscribeHandler;
import dev.herald.sip.ListenPoint;
import dev.herald.sip.SipServer;
import dev.herald.sip.SipServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  private final SipServer sip;
  private volatile boolean stopped;

  private Herald(HeraldConfig config, KeyedExecutor lanes, PresenceEngine presence, SipServer sip) {
    this.config = config;
    this.lanes = lanes;
    this.presence = presence;
    this.sip = sip;
  }

  /** Starts Herald on a configuration that has already been validated. */
  public static Herald start(HeraldConfig config) throws SipServer.SipStartException {
    int laneCount =
        config.presence().executorLanes() > 0
            ? config.presence().executorLanes()
            : 2 * Runtime.getRuntime().availableProcessors();
    KeyedExecutor lanes = KeyedExecutor.striped(laneCount, "presence-lane");
    // The engine needs the SIP server to send; the server needs the engine's handlers to start.
    AtomicReference<SipServer> server = new AtomicReference<>();
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
                    listener));
    SipServer.Builder builder =
        SipServer.builder(sipSettings(config))
            .handle("PUBLISH", new PublishHandler(engine))
            .handle("SUBSCRIBE", new SubscribeHandler(engine))
            .accept(PresencePackage.PIDF);
    for (String name : engine.eventPackageNames()) {
      builder.allowEvent(name);
    }
    try {
      server.set(builder.start());
    } catch (SipServer.SipStartException e) {
      lanes.shutdown(Duration.ZERO);
      throw e;
    }
    LOG.info("Herald started: {} lanes, domains {}", laneCount, config.domains());
    return new Herald(config, lanes, engine, server.get());
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
    LOG.info("Herald stopped");
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }
}
