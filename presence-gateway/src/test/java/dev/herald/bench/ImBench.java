package dev.herald.bench;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.im.xmpp.XmppComponent;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * The IM benchmark's driver ({@code scripts/bench/im} runs it; no test runs it): a Prosody on
 * loopback, Herald in this JVM as its component, N Smack receivers, and SIPp sending SIP MESSAGEs
 * at a fixed rate to them round robin. Each body carries its send time; each receiver records the
 * arrival, so the latency is SIP send to XMPP client arrival, on one machine's clock.
 *
 * <p>Arguments: {@code rate duration-seconds receivers}. Prints sent, delivered, lost, latency
 * percentiles and a verdict: CLEAN when every accepted MESSAGE arrived, no SIPp call failed and 99%
 * arrived within 50 ms (the floor).
 */
public final class ImBench {
  private static final String XMPP_DOMAIN = "xmpp.herald.test";
  private static final String COMPONENT = "sip.herald.test";
  private static final String SECRET = "bench-secret";

  private ImBench() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int receivers = Integer.parseInt(args[2]);
    int warmupSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Path work = Files.createTempDirectory("herald-im-bench-");
    Files.writeString(work.resolve("xmpp-secret"), SECRET + "\n");
    ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    AtomicLong unreadable = new AtomicLong();
    List<XMPPTCPConnection> clients = new ArrayList<>();
    try (ProsodyServer prosody =
        ProsodyServer.start(work.resolve("prosody"), XMPP_DOMAIN, COMPONENT, SECRET)) {
      for (int i = 0; i < receivers; i++) {
        prosody.register("bench" + i, "bench-pw");
      }
      int port = LoopbackPorts.freeUdpAndTcpPort();
      String yaml =
              """
          listeners:
            - {transport: udp, address: 127.0.0.1, port: %1$d}
          domains: [herald.test]
          security: {trusted-peers: [127.0.0.1]}
          directory: {source: none}
          xmpp:
            port: %2$d
            component-domain: %3$s
            secret-file: %4$s
            domains: {herald.test: %5$s}
          """
              .formatted(
                  port,
                  prosody.componentPort(),
                  COMPONENT,
                  work.resolve("xmpp-secret"),
                  XMPP_DOMAIN);
      try (Herald herald = Herald.start(ConfigLoader.parse(yaml, "im bench", work))) {
        XmppComponent component = herald.xmpp().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!component.isUp()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the component did not come up:\n" + prosody.logTail());
          }
          Thread.sleep(20);
        }
        for (int i = 0; i < receivers; i++) {
          XMPPTCPConnection c =
              new XMPPTCPConnection(
                  XMPPTCPConnectionConfiguration.builder()
                      .setXmppDomain(XMPP_DOMAIN)
                      .setHostAddress(InetAddress.getLoopbackAddress())
                      .setPort(prosody.c2sPort())
                      .setUsernameAndPassword("bench" + i, "bench-pw")
                      .setResource("bench")
                      .setSecurityMode(SecurityMode.disabled)
                      .build());
          c.addAsyncStanzaListener(
              s -> {
                Instant now = Instant.now();
                long sent = sentMicros(((Message) s).getBody());
                if (sent < 0) {
                  unreadable.incrementAndGet();
                } else {
                  latenciesMicros.add(
                      now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - sent);
                }
              },
              StanzaTypeFilter.MESSAGE);
          c.connect().login();
          clients.add(c);
        }
        List<String> injection = new ArrayList<>();
        injection.add("SEQUENTIAL");
        for (int i = 0; i < receivers; i++) {
          injection.add("bench" + i + ";");
        }
        if (warmupSeconds > 0) {
          // The same load first, not counted: the JIT compiles the path while it runs (a server
          // runs warm; scripts/bench/fanout --warmup does the same).
          System.err.printf("warming up: %d s at %d/s%n", warmupSeconds, rate);
          send(port, injection, rate, rate * warmupSeconds, warmupSeconds);
          Thread.sleep(2_000);
          latenciesMicros.clear();
          unreadable.set(0);
        }
        int calls = rate * seconds;
        SippResult result = send(port, injection, rate, calls, seconds);
        long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (latenciesMicros.size() + unreadable.get() < result.successfulCalls()
            && System.nanoTime() < settle) {
          Thread.sleep(50);
        }
        report(rate, seconds, receivers, calls, result, latenciesMicros, unreadable.get());
      } finally {
        for (XMPPTCPConnection c : clients) {
          c.disconnect();
        }
      }
    }
    // Smack's and the stack's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  /** The send time in a body "sent SECONDS MICROSECONDS #N", in µs since the epoch; -1 if none. */
  static long sentMicros(String body) {
    if (body == null) {
      return -1;
    }
    String[] parts = body.strip().split("\\s+");
    if (parts.length < 3 || !parts[0].equals("sent")) {
      return -1;
    }
    try {
      return (long) Double.parseDouble(parts[1]) * 1_000_000 + (long) Double.parseDouble(parts[2]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static SippResult send(int port, List<String> injection, int rate, int calls, int seconds)
      throws Exception {
    return Sipp.scenario("im-bench-sender")
        .remote("127.0.0.1", port)
        .transport(SippTransport.UDP)
        .injection(injection)
        .rate(rate)
        .calls(calls)
        .traceMessages(false)
        .timeout(Duration.ofSeconds(seconds + 60L))
        .run();
  }

  private static void report(
      int rate,
      int seconds,
      int receivers,
      int calls,
      SippResult result,
      ConcurrentLinkedQueue<Long> latencies,
      long unreadable) {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long accepted = result.successfulCalls();
    long delivered = sorted.length;
    long within50 = Arrays.stream(sorted).filter(us -> us <= 50_000).count();
    double within = delivered == 0 ? 0 : 100.0 * within50 / delivered;
    System.out.printf(
        "im bench: %d MESSAGE/s for %d s to %d XMPP receivers (SIP UDP -> Herald -> Prosody)%n",
        rate, seconds, receivers);
    System.out.printf(
        "sent %d, accepted (202) %d, failed %d, SIP retransmissions %d; delivered %d/%d,"
            + " unreadable %d, lost %d%n",
        calls,
        accepted,
        result.failedCalls(),
        result.retransmissions(),
        delivered,
        accepted,
        unreadable,
        Math.max(0, accepted - delivered));
    System.out.printf(
        "latency SIP send -> XMPP arrival (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f;"
            + " within 50 ms: %.2f%%%n",
        pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 100), within);
    boolean clean =
        result.failedCalls() == 0
            && accepted == calls
            && delivered == accepted
            && unreadable == 0
            && within >= 99.0;
    System.out.println(clean ? "verdict: CLEAN" : "verdict: NOT CLEAN");
    if (!result.passed()) {
      System.out.println(result.describe());
    }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }
}
