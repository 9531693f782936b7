package dev.herald.cucm;

import dev.herald.config.Trunk;
import dev.herald.config.TrunkPeer;
import dev.herald.sip.RequestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design note: every peer has its own ping cycle on the monitor's one thread: ping, then an answer
 * deadline, then the next ping one interval after the last. A ping is numbered; its answer (on a
 * JAIN-SIP thread) hops to the monitor thread and counts only if it is for the current ping and
 * its deadline has not passed. So the state of a peer changes on one thread only, and a late 200
 * cannot put a silent peer back in service (RFC 3261 §11: OPTIONS is answered at once). The JAIN-SIP transaction of a late ping lives on until
 * Timer F; its outcome is simply ignored.
 *
 * The states are published in a concurrent map of immutable PeerHealth values, which readers on
 * any thread (routing, tests, an admin page) see without taking a lock.
 */

/**
 * Keeps the health of every trunk peer the way CUCM keeps its trunk destinations: an OPTIONS ping
 * every {@code options-interval}; no answer in time, 408 or 503 puts the peer out of service, any
 * other response puts it in service. Each change is logged at INFO (logger {@code
 * dev.herald.cucm.TrunkMonitor}).
 *
 * <p>A ping's answer must come within {@link #answerDeadline}: min(interval, 5 s). That is much
 * sooner than a UDP transaction's Timer F (32 s), so a silent peer is seen within seconds.
 */
public final class TrunkMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrunkMonitor.class);

  /** The longest a ping's answer is awaited. */
  static final Duration MAX_ANSWER_DEADLINE = Duration.ofSeconds(5);

  private final List<Trunk> trunks;
  private final OptionsPinger pinger;
  private final MonitorTimer timer;
  private final Map<TrunkPeer, PeerHealth> health = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> nextIndex = new ConcurrentHashMap<>();
  // Touched on the monitor thread only.
  private final Map<TrunkPeer, Ping> current = new HashMap<>();
  private volatile boolean stopped;

  private TrunkMonitor(List<Trunk> trunks, OptionsPinger pinger, MonitorTimer timer) {
    this.trunks = List.copyOf(trunks);
    this.pinger = Objects.requireNonNull(pinger, "pinger");
    this.timer = Objects.requireNonNull(timer, "timer");
    for (Trunk trunk : this.trunks) {
      nextIndex.put(trunk.name(), new AtomicInteger());
      for (TrunkPeer peer : trunk.peers()) {
        health.put(peer, new PeerHealth(trunk.name(), peer, PeerState.UNKNOWN, "not pinged yet"));
      }
    }
  }

  /**
   * Starts pinging every peer of {@code trunks} at once, then every interval, on one thread named
   * {@code trunk-monitor}. With no trunk, it starts no thread.
   */
  public static TrunkMonitor start(List<Trunk> trunks, OptionsPinger pinger) {
    if (trunks.isEmpty()) {
      return start(
          trunks,
          pinger,
          new MonitorTimer() {
            @Override
            public void schedule(Runnable task, Duration delay) {}

            @Override
            public void shutdown() {}
          });
    }
    return start(
        trunks,
        pinger,
        MonitorTimer.of(
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "trunk-monitor");
                  t.setDaemon(true);
                  return t;
                })));
  }

  /** Starts on a given timer, which runs the monitor's tasks one at a time (tests: a fake). */
  static TrunkMonitor start(List<Trunk> trunks, OptionsPinger pinger, MonitorTimer timer) {
    TrunkMonitor monitor = new TrunkMonitor(trunks, pinger, timer);
    for (Trunk trunk : monitor.trunks) {
      for (TrunkPeer peer : trunk.peers()) {
        timer.execute(() -> monitor.ping(trunk, peer));
      }
    }
    return monitor;
  }

  /** How long the answer to a ping of a trunk with this interval is awaited. */
  static Duration answerDeadline(Trunk trunk) {
    Duration interval = Duration.ofSeconds(trunk.optionsIntervalSeconds());
    return interval.compareTo(MAX_ANSWER_DEADLINE) < 0 ? interval : MAX_ANSWER_DEADLINE;
  }

  /** The health of every peer, trunk by trunk, in the order of the configuration. */
  public List<PeerHealth> peers() {
    List<PeerHealth> all = new ArrayList<>();
    for (Trunk trunk : trunks) {
      for (TrunkPeer peer : trunk.peers()) {
        all.add(health.get(peer));
      }
    }
    return List.copyOf(all);
  }

  /** The health of one peer, or empty if it is no trunk's. */
  public Optional<PeerHealth> health(TrunkPeer peer) {
    return Optional.ofNullable(health.get(peer));
  }

  /**
   * The peer of trunk {@code trunkName} to route the next request to: the peers in service, taken
   * in turn (round robin); empty when none is in service or there is no such trunk.
   */
  public Optional<TrunkPeer> nextInService(String trunkName) {
    AtomicInteger counter = nextIndex.get(trunkName);
    if (counter == null) {
      return Optional.empty();
    }
    List<TrunkPeer> peers =
        trunks.stream().filter(t -> t.name().equals(trunkName)).findFirst().orElseThrow().peers();
    int start = Math.floorMod(counter.getAndIncrement(), peers.size());
    for (int i = 0; i < peers.size(); i++) {
      TrunkPeer peer = peers.get((start + i) % peers.size());
      if (health.get(peer).state() == PeerState.IN_SERVICE) {
        return Optional.of(peer);
      }
    }
    return Optional.empty();
  }

  /** Stops pinging; answers still on their way are ignored. */
  @Override
  public void close() {
    stopped = true;
    timer.shutdown();
  }

  private void ping(Trunk trunk, TrunkPeer peer) {
    if (stopped) {
      return;
    }
    Ping ping = new Ping();
    current.put(peer, ping);
    Duration deadline = answerDeadline(trunk);
    timer.schedule(
        () -> decide(trunk, peer, ping, null, "no answer within " + deadline.toSeconds() + " s"),
        deadline);
    timer.schedule(() -> ping(trunk, peer), Duration.ofSeconds(trunk.optionsIntervalSeconds()));
    try {
      pinger.ping(peer, result -> timer.execute(() -> answered(trunk, peer, ping, result)));
    } catch (RuntimeException e) {
      // The pinger promises its callback; one that throws instead still counts as no answer.
      LOG.warn("trunk {} peer {}: could not send OPTIONS: {}", trunk.name(), peer, e.toString());
      decide(trunk, peer, ping, PeerState.OUT_OF_SERVICE, "could not send OPTIONS");
    }
  }

  private void answered(Trunk trunk, TrunkPeer peer, Ping ping, RequestResult result) {
    switch (result.kind()) {
      case RESPONSE -> {
        int status = result.status();
        String reason = status + " " + result.response().getReasonPhrase();
        // As CUCM: 408 and 503 mean out of service, any other response means in service.
        boolean out = status == 408 || status == 503;
        decide(trunk, peer, ping, out ? PeerState.OUT_OF_SERVICE : PeerState.IN_SERVICE, reason);
      }
      case TIMEOUT -> decide(trunk, peer, ping, PeerState.OUT_OF_SERVICE, "transaction timeout");
      case TRANSPORT_ERROR ->
          decide(trunk, peer, ping, PeerState.OUT_OF_SERVICE, "could not send OPTIONS");
    }
  }

  /**
   * Records the outcome of {@code ping}, unless it was decided already (by its answer or its
   * deadline) or a newer ping has replaced it. {@code state} null means the deadline passed.
   */
  private void decide(Trunk trunk, TrunkPeer peer, Ping ping, PeerState state, String reason) {
    if (stopped || ping.decided || current.get(peer) != ping) {
      return;
    }
    ping.decided = true;
    PeerState next = state == null ? PeerState.OUT_OF_SERVICE : state;
    PeerHealth before = health.get(peer);
    health.put(peer, new PeerHealth(trunk.name(), peer, next, reason));
    if (before.state() != next) {
      LOG.info(
          "trunk {} peer {} {} ({})",
          trunk.name(),
          peer,
          next == PeerState.IN_SERVICE ? "in service" : "out of service",
          reason);
    }
  }

  /** One ping of one peer; touched on the monitor thread only. */
  private static final class Ping {
    boolean decided;
  }
}
