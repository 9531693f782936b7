package dev.herald.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * The IM benchmark's XMPP receivers, in a JVM of their own (so that their CPU and garbage are not
 * Herald's): N Smack clients {@code bench0..N-1}, each taking the arrival time of every message.
 * Driven by {@link ImBench} over standard input and output, one command a line: it prints {@code
 * ready} once every client is logged in; {@code clear} forgets what arrived so far; {@code report}
 * prints {@code latencies COUNT UNREADABLE}, then one latency in µs a line; {@code quit} ends it.
 *
 * <p>Arguments: {@code xmpp-domain c2s-port receivers password}.
 */
public final class ImBenchReceivers {
  private ImBenchReceivers() {}

  public static void main(String[] args) throws Exception {
    String domain = args[0];
    int port = Integer.parseInt(args[1]);
    int receivers = Integer.parseInt(args[2]);
    String password = args[3];
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong unreadable = new AtomicLong();
    List<XMPPTCPConnection> clients = new ArrayList<>();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    for (int i = 0; i < receivers; i++) {
      XMPPTCPConnection c =
          new XMPPTCPConnection(
              XMPPTCPConnectionConfiguration.builder()
                  .setXmppDomain(domain)
                  .setHostAddress(InetAddress.getLoopbackAddress())
                  .setPort(port)
                  .setUsernameAndPassword("bench" + i, password)
                  .setResource("bench")
                  .setSecurityMode(SecurityMode.disabled)
                  .build());
      c.addAsyncStanzaListener(
          s -> {
            Instant now = Instant.now();
            long sent = ImBench.sentMicros(((Message) s).getBody());
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
    out.println("ready");
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      switch (line) {
        case "clear" -> {
          latencies.clear();
          unreadable.set(0);
        }
        case "count" -> out.println("count " + (latencies.size() + unreadable.get()));
        case "report" -> {
          List<Long> copy = new ArrayList<>(latencies);
          out.println("latencies " + copy.size() + " " + unreadable.get());
          for (long us : copy) {
            out.println(us);
          }
        }
        default -> out.println("unknown command " + line);
      }
      out.flush();
    }
    for (XMPPTCPConnection c : clients) {
      c.disconnect();
    }
    // Smack's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }
}
