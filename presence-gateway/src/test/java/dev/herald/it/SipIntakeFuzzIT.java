package dev.herald.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.fixtures.fuzz.FuzzSeeds;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Fuzz target of SIP message intake: arbitrary bytes as one UDP datagram to one long-lived Herald
 * on loopback (the real JAIN-SIP parser, {@code ValidatingParserFactory} and {@code
 * MessageValidation}, the listener's valves, and the registrar and presence handlers behind them;
 * 127.0.0.1 is trusted, so requests get past authentication into the handlers). Checked after every
 * input:
 *
 * <ul>
 *   <li>Herald still answers: an OPTIONS sent after the input gets its 200 (within 20 s);
 *   <li>nothing failed inside: no log event at ERROR, nor a WARN with an exception, from any thread
 *       (a handler's RuntimeException, a lane task that threw, the stack's own errors);
 *   <li>no answer to the input is a 500 (but the one the guard causes, see awaitAnswer).
 * </ul>
 *
 * A socket-free harness would need a fake of JAIN-SIP's provider and transaction layer, which is
 * the very code under test, so this one sends datagrams. An error is reported on the input that was
 * being handled when it was logged; lane work of an earlier input can show late, so a finding may
 * need the inputs before it (the fuzzer's log lists them). Nothing leaves loopback: a {@link
 * LoopbackOnlyGuard} refuses traffic elsewhere and name lookups, whatever the fuzzed headers name,
 * and log lines those refusals cause are not findings. The sender address the seeds use,
 * 127.0.0.1:5062, is replaced by this test's socket, so the answers to the seeds come back here.
 */
class SipIntakeFuzzIT {
  private static final String SEED_SENDER = "127.0.0.1:5062";
  private static final int MAX_DATAGRAM = 65_507;
  // Generous: on a loaded 2-core machine, with the fuzzer's instrumentation, a first answer can
  // take seconds; a Herald that stopped answering is still caught (scripts/fuzz: -timeout=30).
  private static final int ANSWER_WITHIN_MS = 20_000;

  private static RunningHerald herald;
  private static DatagramSocket client;
  private static InetSocketAddress target;
  private static String self;
  private static final Problems problems = new Problems();
  private static SecurityManager previous;
  private static SilentCloseable network;
  private static long pings;

  @BeforeAll
  @SuppressWarnings("removal") // the guard; see LoopbackOnlyGuard
  static void start() throws Exception {
    previous = System.getSecurityManager();
    System.setSecurityManager(new LoopbackOnlyGuard());
    herald = RunningHerald.start();
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(ANSWER_WITHIN_MS);
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), herald.port());
    self = "127.0.0.1:" + client.getLocalPort();
    byte[] warmUp = options("fuzz-warm-up");
    client.send(new DatagramPacket(warmUp, warmUp.length, target));
    awaitAnswer("fuzz-warm-up", LoopbackOnlyGuard.refusals());
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN); // the fuzzer's log stays readable; findings are WARN and above
    problems.start();
    root.addAppender(problems);
  }

  @AfterAll
  @SuppressWarnings("removal")
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(problems);
    if (client != null) {
      client.close();
    }
    if (herald != null) {
      herald.close();
    }
    if (network != null) {
      try {
        network.close();
      } catch (IllegalStateException e) {
        // Jazzer cannot always restore its policy after fuzzing; the JVM ends with this class.
      }
    }
    System.setSecurityManager(previous);
  }

  @MethodSource("seeds")
  @FuzzTest
  void intake(byte[] input) throws IOException {
    if (network == null) {
      network = allowLoopback();
    }
    byte[] datagram = asSentHere(input);
    problems.clear();
    long refusalsBefore = LoopbackOnlyGuard.refusals();
    client.send(new DatagramPacket(datagram, datagram.length, target));
    String ping = "fuzz-ping-" + (++pings);
    byte[] options = options(ping);
    client.send(new DatagramPacket(options, options.length, target));
    awaitAnswer(ping, refusalsBefore);
    List<String> found = problems.take();
    assertTrue(found.isEmpty(), () -> "Herald logged, handling this input:\n" + found);
  }

  /**
   * Jazzer's own network sanitizer, loaded with its agent once fuzzing starts, told to let this
   * test talk to Herald on loopback (the guard already refuses anything else); a no-op when only
   * the inputs are replayed.
   */
  private static SilentCloseable allowLoopback() {
    try {
      return BugDetectors.allowNetworkConnections(
          (host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
    } catch (IllegalStateException e) {
      return () -> {};
    }
  }

  static Stream<byte[]> seeds() {
    return FuzzSeeds.sipMessages();
  }

  /** The input with the seeds' sender replaced by this test's socket, cut to one datagram. */
  private static byte[] asSentHere(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1).replace(SEED_SENDER, self);
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return bytes.length <= MAX_DATAGRAM ? bytes : Arrays.copyOf(bytes, MAX_DATAGRAM);
  }

  private static byte[] options(String callId) {
    return ("OPTIONS sip:herald.test SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + self
            + ";branch=z9hG4bK-"
            + callId
            + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:fuzz@herald.test>;tag=fuzz\r\n"
            + "To: <sip:herald.test>\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads what comes back until the ping's answer; an answer 500 to anything is a finding, except
   * the one the guard causes: a MESSAGE leg to a registered device at a non-loopback address (a
   * fuzzed Contact) is refused by the guard as a transport error, which Herald answers, as RFC 3261
   * §16.7 asks of a lone 503, with 500 "the device could not be reached". Outside this test that
   * datagram would go out and the answer would be a 408 after Timer F.
   */
  private static void awaitAnswer(String callId, long refusalsBefore) throws IOException {
    byte[] buffer = new byte[MAX_DATAGRAM];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        client.receive(packet);
      } catch (SocketTimeoutException e) {
        fail(
            "Herald did not answer an OPTIONS within " + ANSWER_WITHIN_MS + " ms after this input");
      }
      String message =
          new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
      String status = message.lines().findFirst().orElse("");
      if (message.startsWith("SIP/2.0 500")
          && !(status.contains("the device could not be reached")
              && LoopbackOnlyGuard.refusals() > refusalsBefore)) {
        fail("Herald answered 500: " + status);
      }
      if (message.startsWith("SIP/2.0 ") && message.contains("\r\nCall-ID: " + callId + "\r\n")) {
        return;
      }
      // requests to this socket (a NOTIFY to a Contact that named it) and other answers: ignored
    }
  }

  /** Log events that show something failed inside Herald: ERROR, or WARN with an exception. */
  private static final class Problems extends AppenderBase<ILoggingEvent> {
    private final List<String> found = new ArrayList<>();

    @Override
    protected synchronized void append(ILoggingEvent event) {
      IThrowableProxy thrown = event.getThrowableProxy();
      boolean problem =
          event.getLevel().isGreaterOrEqual(Level.ERROR)
              || (event.getLevel().isGreaterOrEqual(Level.WARN) && thrown != null);
      if (!problem || event.getFormattedMessage().contains(LoopbackOnlyGuard.MARK)) {
        return;
      }
      if (thrown instanceof ThrowableProxy proxy
          && LoopbackOnlyGuard.causedBy(proxy.getThrowable())) {
        return;
      }
      found.add(
          event.getLevel()
              + " "
              + event.getLoggerName()
              + ": "
              + event.getFormattedMessage()
              + (thrown == null
                  ? ""
                  : " (" + thrown.getClassName() + ": " + thrown.getMessage() + ")"));
    }

    synchronized void clear() {
      found.clear();
    }

    synchronized List<String> take() {
      List<String> all = List.copyOf(found);
      found.clear();
      return all;
    }
  }
}
