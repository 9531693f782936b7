package dev.herald.bench;

import dev.herald.Herald;
import dev.herald.config.ConfigLoader;
import dev.herald.fixtures.prosody.ProsodyServer;
import dev.herald.fixtures.sipp.LoopbackPorts;
import dev.herald.fixtures.sipp.Sipp;
import dev.herald.fixtures.sipp.SippResult;
import dev.herald.fixtures.sipp.SippTransport;
import dev.herald.im.xmpp.XmppComponent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Arguments: {@code rate duration-seconds receivers [warmup-seconds [runs [same|separate]]]}:
 * the receivers run in a JVM of their own unless {@code same}. Each run prints, besides the
 * latencies, each process's CPU time per accepted message. Prints sent, delivered, lost, latency
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
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    boolean sameJvm = args.length > 5 && args[5].equals("same");
    Path work = Files.createTempDirectory("herald-im-bench-");
    Files.writeString(work.resolve("xmpp-secret"), SECRET + "\n");
    try (ProsodyServer prosody =
        ProsodyServer.start(work.resolve("prosody"), XMPP_DOMAIN, COMPONENT, SECRET)) {
      for (int i = 0; i < receivers; i++) {
        prosody.register("bench" + i, PASSWORD);
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
      try (Herald herald = Herald.start(ConfigLoader.parse(yaml, "im bench", work));
          Receivers clients =
              sameJvm
                  ? new InProcessReceivers(prosody.c2sPort(), receivers)
                  : new SeparateReceivers(prosody.c2sPort(), receivers)) {
        XmppComponent component = herald.xmpp().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!component.isUp()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the component did not come up:\n" + prosody.logTail());
          }
          Thread.sleep(20);
        }
        clients.start();
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
        }
        for (int run = 1; run <= runs; run++) {
          clients.clear();
          int calls = rate * seconds;
          CpuSnapshot before = CpuSnapshot.take(prosody, clients);
          SippResult result = send(port, injection, rate, calls, seconds);
          long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
          while (clients.count() < result.successfulCalls() && System.nanoTime() < settle) {
            Thread.sleep(50);
          }
          CpuSnapshot after = CpuSnapshot.take(prosody, clients);
          System.out.printf("--- run %d of %d%n", run, runs);
          report(
              rate, seconds, receivers, calls, result, clients.latencies(), clients.unreadable());
          after.printSince(before, result.successfulCalls(), sameJvm);
          Thread.sleep(2_000);
        }
      }
    }
    // The stack's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  private static final String PASSWORD = "bench-pw";

  /** The XMPP receivers: where the latencies come from. */
  private interface Receivers extends AutoCloseable {
    void start() throws Exception;

    void clear() throws Exception;

    long count() throws Exception;

    long[] latencies() throws Exception;

    long unreadable();

    /** The receivers' own process, when they have one. */
    OptionalLong pid();
  }

  /** The receivers as a JVM of their own ({@link ImBenchReceivers}): the default. */
  private static final class SeparateReceivers implements Receivers {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private long unreadable;

    SeparateReceivers(int c2sPort, int receivers) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-Xms256m",
                  "-Xmx256m",
                  "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ImBenchReceivers.class.getName(),
                  XMPP_DOMAIN,
                  Integer.toString(c2sPort),
                  Integer.toString(receivers),
                  PASSWORD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Override
    public void start() throws IOException {
      String line = out.readLine();
      if (!"ready".equals(line)) {
        throw new IllegalStateException("the receivers did not start: " + line);
      }
    }

    @Override
    public void clear() {
      in.println("clear");
    }

    @Override
    public long count() throws IOException {
      in.println("count");
      return Long.parseLong(out.readLine().substring("count ".length()));
    }

    @Override
    public long[] latencies() throws IOException {
      in.println("report");
      String[] head = out.readLine().split(" ");
      int n = Integer.parseInt(head[1]);
      unreadable = Long.parseLong(head[2]);
      long[] us = new long[n];
      for (int i = 0; i < n; i++) {
        us[i] = Long.parseLong(out.readLine());
      }
      return us;
    }

    @Override
    public long unreadable() {
      return unreadable;
    }

    @Override
    public OptionalLong pid() {
      return OptionalLong.of(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
      in.println("quit");
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** The receivers in Herald's JVM, as the bench ran them first ({@code --receivers-jvm same}). */
  private static final class InProcessReceivers implements Receivers {
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final List<XMPPTCPConnection> clients = new ArrayList<>();
    private final int c2sPort;
    private final int receivers;

    InProcessReceivers(int c2sPort, int receivers) {
      this.c2sPort = c2sPort;
      this.receivers = receivers;
    }

    @Override
    public void start() throws Exception {
      for (int i = 0; i < receivers; i++) {
        XMPPTCPConnection c =
            new XMPPTCPConnection(
                XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(XMPP_DOMAIN)
                    .setHostAddress(InetAddress.getLoopbackAddress())
                    .setPort(c2sPort)
                    .setUsernameAndPassword("bench" + i, PASSWORD)
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
                latencies.add(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - sent);
              }
            },
            StanzaTypeFilter.MESSAGE);
        c.connect().login();
        clients.add(c);
      }
    }

    @Override
    public void clear() {
      latencies.clear();
      unreadable.set(0);
    }

    @Override
    public long count() {
      return latencies.size() + unreadable.get();
    }

    @Override
    public long[] latencies() {
      return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public long unreadable() {
      return unreadable.get();
    }

    @Override
    public OptionalLong pid() {
      return OptionalLong.empty();
    }

    @Override
    public void close() {
      for (XMPPTCPConnection c : clients) {
        c.disconnect();
      }
    }
  }

  /**
   * CPU time (user + system, from /proc) of each process of the bench at one moment: Herald's JVM
   * (this one), Prosody, the receivers' JVM, SIPp (the children this JVM has reaped: SIPp runs end
   * within the measured window), and Herald's threads grouped by name.
   */
  private record CpuSnapshot(
      long heraldMs, long childrenMs, long prosodyMs, long receiversMs, Map<String, Long> threads) {
    static CpuSnapshot take(ProsodyServer prosody, Receivers receivers) throws IOException {
      long[] self = procTimes("self");
      // Every thread of this JVM, GC and JIT compiler threads included (ThreadMXBean sees only
      // Java threads); a thread that ended between two snapshots shows only in the total.
      Map<String, Long> threads = new TreeMap<>();
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path task : tasks) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            threads.merge(
                name.replaceAll("[0-9]+", "N"),
                procTimes("self/task/" + task.getFileName())[0],
                Long::sum);
          } catch (NoSuchFileException e) {
            // the thread ended meanwhile
          }
        }
      }
      return new CpuSnapshot(
          self[0],
          self[1],
          prosody.pid().isPresent() ? procTimes(Long.toString(prosody.pid().getAsLong()))[0] : 0,
          receivers.pid().isPresent()
              ? procTimes(Long.toString(receivers.pid().getAsLong()))[0]
              : 0,
          threads);
    }

    /** utime+stime and cutime+cstime of /proc/PID/stat, in ms (clock ticks of 10 ms). */
    private static long[] procTimes(String pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17.
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return new long[] {own * 10, children * 10};
    }

    void printSince(CpuSnapshot before, long messages, boolean receiversInHerald) {
      double n = Math.max(1, messages);
      System.out.printf(
          "CPU ms per message: herald %.3f%s, prosody %.3f, receivers %s, sipp %.3f"
              + " (herald %d ms, prosody %d ms, sipp %d ms)%n",
          (heraldMs - before.heraldMs) / n,
          receiversInHerald ? " (with the receivers)" : "",
          (prosodyMs - before.prosodyMs) / n,
          receiversInHerald
              ? "in herald"
              : String.format("%.3f", (receiversMs - before.receiversMs) / n),
          (childrenMs - before.childrenMs) / n,
          heraldMs - before.heraldMs,
          prosodyMs - before.prosodyMs,
          childrenMs - before.childrenMs);
      Map<String, Long> delta = new TreeMap<>();
      threads.forEach((k, v) -> delta.put(k, v - before.threads.getOrDefault(k, 0L)));
      long named = delta.values().stream().mapToLong(Long::longValue).sum();
      long jit =
          delta.entrySet().stream()
              .filter(e -> e.getKey().contains("CompilerThre"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      // The JIT compilers' share is the warm-up's tail (on a busy machine C2 still compiles
      // after the warm-up): the rest is Herald's work per message, the figure to compare.
      System.out.printf(
          "CPU ms per message, herald without the JIT compiler threads: %.3f (JIT %d ms)%n",
          (heraldMs - before.heraldMs - jit) / n, jit);
      StringBuilder top =
          new StringBuilder("herald threads (ms; ended threads ")
              .append(heraldMs - before.heraldMs - named)
              .append("):");
      delta.entrySet().stream()
          .filter(e -> e.getValue() >= 10)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(12)
          .forEach(e -> top.append(' ').append(e.getKey()).append('=').append(e.getValue()));
      System.out.println(top);
    }
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
      long[] latencies,
      long unreadable) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
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
